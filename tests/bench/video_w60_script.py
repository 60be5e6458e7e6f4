#!/usr/bin/env python3
"""Turns the reference W60/W15 workload (../shared/bench/make-workload.sh) into an onefish
storyboard: writes OUT/script.json, OUT/onefish.yaml and copies the photos into OUT/images/."""
import json, os, shutil, sys

wl_dir, out = sys.argv[1], sys.argv[2]
wl = json.load(open(os.path.join(wl_dir, "workload.json")))
os.makedirs(os.path.join(out, "images"), exist_ok=True)
def split(c):
    """Two lines at the punctuation nearest the middle (the schema allows 14 字 a line)."""
    if len(c) <= 14:
        return [c]
    cuts = [i + 1 for i, ch in enumerate(c) if ch in "，：、。"]
    k = min(cuts, key=lambda i: abs(i - len(c) / 2)) if cuts else len(c) // 2
    return [c[:k], c[k:]]


scenes = []
n = len(wl["photos"])
for i, p in enumerate(wl["photos"]):
    name = "%02d.jpg" % (i + 1)
    shutil.copyfile(os.path.join(wl_dir, p["photo"]), os.path.join(out, "images", name))
    m = p["motion"]
    kind = {"in": "zoom_in", "out": "zoom_out", "pan-right": "pan_right", "pan-left": "pan_left"}.get(m["kind"], "pan")
    scenes.append({
        "id": "s%02d" % (i + 1),
        "kind": "hook" if i == 0 else "body",
        "start": i * wl["slot"], "duration": wl["slot"],
        "narration": "",
        "caption": split(p["caption"]),
        "image": "images/" + name,
        "motion": {"type": kind, "from": m["z0"], "to": m["z1"], "pan": [m.get("cx1", 0.5), m.get("cy1", 0.5)]},
        "transition": {"type": "crossfade" if i else "cut", "duration": wl["crossfade"] if i else 0},
    })
script = {"version": 1, "format": "vertical", "title": "", "width": wl["width"], "height": wl["height"],
          "fps": wl["fps"], "duration": wl["duration"], "scenes": scenes}
json.dump(script, open(os.path.join(out, "script.json"), "w"), ensure_ascii=False, indent=1)
open(os.path.join(out, "onefish.yaml"), "w").write(
    "video:\n  preset: vertical\n  music: %s\nvoice:\n  engine: none\n" % os.path.join(wl_dir, wl["audio"]["file"]))
