#!/bin/sh
# script.sh — timings of `onefish script`: a Markdown article at the 256 KiB cap, the largest WeChat
# corpus page, and the worst accepted cmark input (20,000 '[' as "![[]()" runs).
set -u
: "${ONEFISH:?}" "${ONEFISH_ROOT:?}"
T=$(mktemp -d /tmp/onefish-bench-script-XXXXXX)
trap 'rm -rf "$T"' EXIT
python3 - "$T/big.md" <<'PY'
import sys
parts = ["---\ntitle: 宝宝辅食添加全攻略\n---\n\n# 宝宝辅食添加全攻略\n"]
i = 0
while sum(len(p.encode()) for p in parts) < 250 * 1024:
    i += 1
    parts.append("\n## 第%d节：辅食的第%d个问题\n\n" % (i, i))
    parts.append("宝宝满%d个月以后，妈妈们最关心的是第一口辅食吃什么？强化铁的米粉含铁%d毫克，一次只加一种新食物，观察三天没有异常再换下一种。" % (i % 12 + 1, i % 9 + 1))
    parts.append("性状从稀到稠、从细到粗，量也从一两勺慢慢往上加。如果出现皮疹、腹泻或者呕吐，要先停掉这种食物。\n")
sys.stdout = open(sys.argv[1], "w", encoding="utf-8")
print("".join(parts))
PY
python3 -c "import sys; sys.stdout.write('宝宝吃饭了。\n\n' + '![[]()' * 9999)" >"$T/brackets.md"
t() { # label, args...
	label=$1; shift
	s=$(date +%s.%N)
	"$ONEFISH" script "$@" --quiet >/dev/null 2>&1
	rc=$?
	e=$(date +%s.%N)
	printf '%-44s %6.2f s  (exit %d)\n' "$label" "$(awk "BEGIN{print $e - $s}")" "$rc"
}
printf '%-44s %s\n' "case" "wall time"
t "Markdown 250 KiB, 60 s script" "$T/big.md" -o "$T/o1" --duration 60
t "Markdown 250 KiB, 15 s script" "$T/big.md" -o "$T/o2" --duration 15
t "20,000 '[' (cmark worst accepted case)" "$T/brackets.md" -o "$T/o3" --duration 15
P="$ONEFISH_ROOT/../shared/corpus/wechat-article-html/wae-normal-04-boyuanba-finance.html"
[ -f "$P" ] && t "WeChat page 2.9 MB (fetch_images off)" "$P" -o "$T/o4" --duration 30 \
	--config "$ONEFISH_ROOT/tests/fixtures/script/offline.yaml"
t "fixture article (friso load included)" "$ONEFISH_ROOT/tests/fixtures/script/article.md" -o "$T/o5"
