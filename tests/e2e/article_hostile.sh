#!/bin/sh
# article_hostile.sh — regression inputs that once crashed the article stage:
# each must end with exit 0 (bad records skipped) or 3 (unusable), within 20 s.
set -u
ROOT=${ONEFISH_ROOT:-$(pwd)}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
n=0
for f in "$ROOT"/tests/fixtures/posts/hostile/*; do
	case "$f" in *.md) [ "$(basename "$f")" = README.md ] && continue ;; esac
	timeout 20 "$ONEFISH" article "$f" -o "$T/out" --quiet >/dev/null 2>"$T/err"
	rc=$?
	if [ $rc -ne 0 ] && [ $rc -ne 3 ]; then
		echo "article_hostile: FAIL: $(basename "$f"): exit $rc"; tail -5 "$T/err"; exit 1
	fi
	n=$((n + 1))
done
[ $n -gt 0 ] || { echo "article_hostile: FAIL: no inputs"; exit 1; }
echo "article_hostile: ok ($n inputs)"
