#!/bin/sh
# The hostile-input suite: every tests/hostile/<area>/<name>.case (see tests/hostile/README.md).
#   HOSTILE_FILTER=config sh tests/e2e/hostile_suite.sh   runs the cases whose path contains "config"
set -u
root=${ONEFISH_ROOT:-$(pwd)}
ONEFISH=${ONEFISH:-$root/bin/onefish}
export ONEFISH
pass=0; fails=0; failed=""
for c in "$root"/tests/hostile/*/*.case; do
	[ -f "$c" ] || continue
	name=${c#"$root"/tests/hostile/}; name=${name%.case}
	case "$name" in *"${HOSTILE_FILTER:-}"*) ;; *) continue ;; esac
	budget=$(sed -n 's/^BUDGET=\([0-9]*\).*/\1/p' "$c" | head -1)
	w=$(mktemp -d)
	msg=$(timeout -k 2 "${budget:-20}" sh "$root/tests/hostile/lib.sh" "$c" "$w" 2>&1)
	rc=$?
	[ $rc -eq 124 ] || [ $rc -eq 137 ] && msg="timed out after ${budget:-20}s (hang?)"
	chmod -R u+rwx "$w" 2>/dev/null; rm -rf "$w"
	if [ $rc -eq 0 ]; then
		pass=$((pass + 1))
	else
		fails=$((fails + 1)); failed="$failed $name"
		echo "FAIL: $name: $msg"
	fi
done
echo "hostile: $pass passed, $fails failed${failed:+ ($failed )}"
[ "$fails" -eq 0 ]
