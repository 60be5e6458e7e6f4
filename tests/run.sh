#!/bin/sh
# Runs the test suite: every cmocka unit binary, then every end-to-end script.
#   tests/run.sh [unit|e2e] [NAME-FILTER]
# Prints cmocka's summaries, then one closing line "N passed, N failed".
set -u
BUILD=${BUILD:-build}
BIN=${BIN:-bin}
ONEFISH=${ONEFISH:-$(pwd)/$BIN/onefish}
export ONEFISH BUILD BIN
export ONEFISH_DATADIR="$(pwd)/assets"
export ONEFISH_ROOT="$(pwd)"
export CMOCKA_MESSAGE_OUTPUT=stdout
what=${1:-all}
filter=${2:-}
passed=0
failed=0
failures=""

run_one() { # name, command...
	name=$1; shift
	if "$@"; then
		passed=$((passed + 1))
	else
		failed=$((failed + 1))
		failures="$failures $name"
	fi
}

if [ "$what" = all ] || [ "$what" = unit ]; then
	for t in "$BUILD"/tests/test_*; do
		[ -x "$t" ] || continue
		case "$t" in *"$filter"*) ;; *) continue ;; esac
		echo "== unit: $(basename "$t")"
		run_one "$(basename "$t")" "$t"
	done
fi
if [ "$what" = all ] || [ "$what" = e2e ]; then
	for t in tests/e2e/*.sh; do
		[ -f "$t" ] || continue
		case "$t" in *"$filter"*) ;; *) continue ;; esac
		echo "== e2e: $(basename "$t")"
		run_one "$(basename "$t")" sh "$t"
	done
fi
echo
[ -n "$failures" ] && echo "failed:$failures"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
