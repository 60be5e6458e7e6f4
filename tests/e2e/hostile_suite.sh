#!/bin/sh
# The hostile-input suite: every tests/hostile/<area>/<name>.case (see tests/hostile/README.md).
#   HOSTILE_FILTER=config sh tests/e2e/hostile_suite.sh   runs the cases whose path contains "config"
set -u
root=${ONEFISH_ROOT:-$(pwd)}
ONEFISH=${ONEFISH:-$root/bin/onefish}
export ONEFISH
pass=0; fails=0; failed=""; skipped=""
for c in "$root"/tests/hostile/*/*.case; do
	[ -f "$c" ] || continue
	name=${c#"$root"/tests/hostile/}; name=${name%.case}
	case "$name" in *"${HOSTILE_FILTER:-}"*) ;; *) continue ;; esac
	budget=$(sed -n 's/^BUDGET=\([0-9]*\).*/\1/p' "$c" | head -1)
	w=$(mktemp -d)
	msg=$(timeout -k 2 "${budget:-20}" sh "$root/tests/hostile/lib.sh" "$c" "$w" 2>&1)
	rc=$?
	[ $rc -eq 124 ] || [ $rc -eq 137 ] && msg="timed out after ${budget:-20}s (hang?)"
	# A case that mounted something (a small tmpfs) and failed before unmounting it.
	awk -v w="$w" 'index($2, w) == 1 { print $2 }' /proc/mounts 2>/dev/null | while read -r m; do umount "$m"; done
	chmod -R u+rwx "$w" 2>/dev/null; rm -rf "$w"
	if [ $rc -eq 0 ]; then
		pass=$((pass + 1))
	elif [ $rc -eq 77 ]; then
		skipped="$skipped $name"; echo "skip: $name: $msg"
	else
		fails=$((fails + 1)); failed="$failed $name"
		echo "FAIL: $name: $msg"
	fi
done
echo "hostile: $pass passed, $fails failed${failed:+ ($failed )}${skipped:+, skipped:$skipped}"
[ "$fails" -eq 0 ]
