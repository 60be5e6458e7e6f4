#!/bin/sh
# make bench: runs every benchmark script in tests/bench/ (BENCH=name runs one).
# Each script prints its figures; docs/BENCHMARKS.md records them with how they were obtained.
set -u
cd "$(dirname "$0")/../.."
export ONEFISH="$(pwd)/bin/onefish" ONEFISH_ROOT="$(pwd)" ONEFISH_DATADIR="$(pwd)/assets"
status=0
for b in tests/bench/*.sh; do
	[ "$(basename "$b")" = run.sh ] && continue
	case "$b" in *"${BENCH:-}"*) ;; *) continue ;; esac
	echo "=== bench: $(basename "$b")"
	sh "$b" || { echo "bench failed: $b"; status=1; }
done
exit $status
