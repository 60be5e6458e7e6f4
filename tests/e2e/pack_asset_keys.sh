#!/bin/sh
# The pack keys each stage by the shipped assets it reads (pipeline/pack_stages.c: *_assets),
# so a tuned lexicon or template reruns it. Those lists are written by hand: this holds them
# in step with the source, so that an asset a stage starts to read cannot be left out of its key.
# Every asset path a stage's source names ("lexicons/…", "templates/…", "music/…" …) must be
# covered by an entry of that stage's list (the entry itself, or a folder above it).
set -u
cd "${ONEFISH_ROOT:-.}"
exec python3 - <<'PY'
import re, sys, glob

tops = "templates|themes|prompts|lexicons|music|styles|brand"
stages_c = open("pipeline/pack_stages.c", encoding="utf-8").read()
lists = {}
for name, body in re.findall(r"static const char \*const (\w+)_assets\[\] = \{(.*?)\};", stages_c, re.S):
    lists[name] = re.findall(r'"([^"]+)"', body)
if sorted(lists) != ["article", "prompts", "script", "video"]:
    sys.exit("pack_asset_keys: asset lists not found in pack_stages.c: %s" % sorted(lists))
# which stage reads the files of each source folder (lint.c is shared by article and prompts)
readers = {"stages/article": ["article"], "stages/script": ["script"], "stages/render": ["video"],
           "stages/voice": ["video"], "stages/prompts": ["prompts"], "stages/common/lint.c": ["article", "prompts"]}
fails, seen = [], 0
for f in sorted(glob.glob("stages/*/*.c")):
    who = [v for k, v in readers.items() if f == k or f.startswith(k + "/")]
    for lit in re.findall(r'"((?:%s)/[^"%%]*)' % tops, open(f, encoding="utf-8").read()):
        path = lit.rstrip("/")
        seen += 1
        if not who:
            fails.append("%s names asset %s, but no stage is known to read %s" % (f, lit, f))
            continue
        for stage in who[0]:
            if not any(path == e or path.startswith(e + "/") for e in lists[stage]):
                fails.append("%s: asset %s is not in %s_assets (pipeline/pack_stages.c)" % (f, lit, stage))
if seen < 10:
    fails.append("only %d asset paths found in the stages: the pattern no longer matches the source" % seen)
for m in fails:
    print("FAIL: " + m)
if fails:
    sys.exit(1)
print("ok: %d asset paths in the stages' source, each in its stage's cache key" % seen)
PY
