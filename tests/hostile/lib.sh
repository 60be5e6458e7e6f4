#!/bin/sh
# lib.sh CASE_FILE WORK_DIR — runs one hostile case (see README.md); prints why it failed.
set -u
CASE=$1
WORK=$2
CASE_DIR=$(cd "$(dirname "$CASE")" && pwd)
export CASE_DIR
EXIT=0; ERR=''; NEVER=''
check() { return 0; }
setup() { return 0; }
. "$CASE"
cd "$WORK" || exit 99
setup
src=$?
[ "$src" -eq 77 ] && exit 77 # the environment cannot host this case (said why on stdout)
[ "$src" -eq 0 ] || { echo "setup failed"; exit 1; }
# Address-space cap, except under ASan, which reserves terabytes of virtual memory.
case "${BUILD:-build}" in *san*) ;; *) ulimit -v 2000000 2>/dev/null ;; esac
run >stdout 2>stderr
rc=$?
ulimit -v unlimited 2>/dev/null
bad=0
if [ "$rc" -ne "$EXIT" ]; then echo "exit $rc, expected $EXIT"; bad=1; fi
if [ -n "$ERR" ] && ! grep -Eq -- "$ERR" stderr; then echo "stderr does not match /$ERR/"; bad=1; fi
if grep -Eq 'Sanitizer|runtime error:|LeakSanitizer' stderr; then echo "sanitizer report"; bad=1; fi
if [ -n "$NEVER" ] && { grep -Eq -- "$NEVER" stdout stderr || { [ -d out ] && grep -rEq -- "$NEVER" out; }; }; then
	echo "forbidden content /$NEVER/ leaked into the output"; bad=1
fi
left=$(find . -name '.*.tmp-*' 2>/dev/null | head -3)
if [ -n "$left" ]; then echo "temporary file left: $left"; bad=1; fi
if ! check; then echo "check() failed"; bad=1; fi
if [ "$bad" -ne 0 ]; then sed 's/^/  | /' stderr | head -8; exit 1; fi
exit 0
