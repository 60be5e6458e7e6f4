#!/bin/sh
# Builds every tests/fuzz/fuzz_<format>.c with libFuzzer + ASan + UBSan (clang)
# against the library sources and runs each for FUZZ_SECONDS (default 60), one
# at a time, niced. Also builds replay_<format> (no libFuzzer) for reproducing.
#   FUZZ_SECONDS=600 tests/fuzz/run.sh [FORMAT...]
# Work corpora grow in $FUZZ_BUILD/corpus/<format> (seeded from tests/fuzz/corpus/);
# crashes land in $FUZZ_BUILD/artifacts/; one line per run is appended to
# $FUZZ_BUILD/fuzz-log.tsv (date, target, seconds, runs, result).
set -u
cd "$(dirname "$0")/../.."
FUZZ_SECONDS=${FUZZ_SECONDS:-60}
FUZZ_BUILD=${FUZZ_BUILD:-build-fuzz}
export ONEFISH_DATADIR="$(pwd)/assets"
SAN="-fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer"

# The library, instrumented for coverage; -w because clang and gcc warn differently.
make --no-print-directory -s CC=clang SANITIZE=1 BUILD="$FUZZ_BUILD" BIN="$FUZZ_BUILD/bin" WARN=-w \
	CFLAGS="-g -fsanitize=fuzzer-no-link" "$FUZZ_BUILD/libonefish.a" || exit 1
# The package list lives in the Makefile only.
PKGS=$(make --no-print-directory -s --eval 'print-%: ; @echo $($*)' print-PKGS)
CFL="-std=c11 -D_GNU_SOURCE -g -O1 -Iinclude -Istages -Itests/fuzz $(pkg-config --cflags $PKGS)"
LIBS="$FUZZ_BUILD/libonefish.a $(pkg-config --libs $PKGS) -lm -lpthread"

if [ $# -gt 0 ]; then
	targets="$*"
else
	targets=$(ls tests/fuzz/fuzz_*.c | sed 's|.*/fuzz_||; s|\.c$||')
fi
mkdir -p "$FUZZ_BUILD/artifacts"
failed=""
for t in $targets; do
	src=tests/fuzz/fuzz_$t.c
	[ -f "$src" ] || { echo "fuzz: no target $src"; failed="$failed $t"; continue; }
	echo "== fuzz $t: build"
	clang $CFL $SAN -fsanitize=fuzzer "$src" -o "$FUZZ_BUILD/fuzz_$t" $LIBS || { failed="$failed $t"; continue; }
	clang $CFL $SAN "$src" tests/fuzz/replay.c -o "$FUZZ_BUILD/replay_$t" $LIBS || { failed="$failed $t"; continue; }
	work="$FUZZ_BUILD/corpus/$t"
	mkdir -p "$work" "tests/fuzz/corpus/$t"
	echo "== fuzz $t: ${FUZZ_SECONDS}s"
	log="$FUZZ_BUILD/fuzz_$t.log"
	nice -n 19 "$FUZZ_BUILD/fuzz_$t" -max_total_time="$FUZZ_SECONDS" -timeout=10 -rss_limit_mb=2048 \
		-max_len=65536 -print_final_stats=1 -artifact_prefix="$FUZZ_BUILD/artifacts/$t-" \
		"$work" "tests/fuzz/corpus/$t" >"$log" 2>&1
	rc=$?
	runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' | tail -1)
	secs=$(grep -o 'Done [0-9]* runs in [0-9]* second' "$log" | grep -o 'in [0-9]*' | grep -o '[0-9]*' | tail -1)
	result=ok
	[ $rc -eq 0 ] || { result="crash(rc=$rc)"; failed="$failed $t"; tail -40 "$log"; }
	printf '%s\t%s\t%s\t%s\t%s\n' "$(date -u +%FT%TZ)" "$t" "${secs:-?}" "${runs:-?}" "$result" >>"$FUZZ_BUILD/fuzz-log.tsv"
	echo "== fuzz $t: $result, ${runs:-?} runs in ${secs:-?}s"
done
[ -z "$failed" ] || { echo "fuzz: failed:$failed (see $FUZZ_BUILD/artifacts/)"; exit 1; }
echo "fuzz: all targets clean"
