# tests/e2e/lib/mini_pack.sh — sourced (not run) by the pack e2e scripts: a scratch copy of
# examples/week-2026-48-mini in $t/pack rendering at 6 fps with x264 ultrafast (the frame stays
# 1080x1920) so the many renders stay fast, its output folder $O, and ok/fail counting into $fails.
# Needs ROOT; sets t (removed on exit), P, O, fails.
fails=0
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }
ok() { echo "ok: $*"; }
cp -R "$ROOT/examples/week-2026-48-mini" "$t/pack"
sed -i 's/^  preset: vertical/  preset: vertical\n  fps: 6\n  x264_preset: ultrafast/' "$t/pack/onefish.yaml"
grep -q 'fps: 6' "$t/pack/onefish.yaml" || { echo "FAIL: could not set fps"; exit 1; }
P=week-2026-48-mini
O="$t/out/$P"
