#!/usr/bin/env python3
"""pack_timeline.py OUT_DIR — a pack's editing timeline (docs/pack.md): its video stage wrote
narration.wav / music.wav and timeline.fcpxml beside video.mp4, all recorded in manifest.json as the
video stage's (sha256 and bytes as on disk), and the timeline plays those stems under the whole video,
its clips as long as the video's scenes, its CTA title the video's end card; the review page lists the
three files. FCPXML parsed (ElementTree), never grepped. Exit 1 with a FAIL line per problem."""
import hashlib, json, os, re, subprocess, sys
import xml.etree.ElementTree as ET
from fractions import Fraction

out = sys.argv[1]
errs = []
def fail(m): errs.append(m)
def rt(v): return Fraction(0) if v == "0s" else Fraction(v[:-1])

m = json.load(open(os.path.join(out, "manifest.json"), encoding="utf-8"))
recs = {o["path"]: o for o in m["outputs"]}
for f in ("timeline.fcpxml", "narration.wav", "music.wav"):
    p, r = os.path.join(out, f), recs.get(f)
    if not os.path.isfile(p): fail("%s not written" % f); continue
    if not r: fail("%s not in manifest.json" % f); continue
    if r["stage"] != "video" or r["status"] != "generated": fail("%s: stage %s, %s" % (f, r["stage"], r["status"]))
    if r["sha256"] != hashlib.sha256(open(p, "rb").read()).hexdigest() or r["bytes"] != os.path.getsize(p):
        fail("%s: manifest sha256/bytes are not the file's" % f)
    if f not in m["stages"]["video"]["outputs"]: fail("%s not among the video stage's outputs" % f)
if "timeline.fcpxml" in m["stages"]["script"]["outputs"]: fail("the script stage still lists timeline.fcpxml")

tl = os.path.join(out, "timeline.fcpxml")
if subprocess.run(["xmllint", "--noout", "--nonet", tl]).returncode != 0: fail("timeline.fcpxml is not well-formed")
root = ET.parse(tl).getroot()
seq = root.find("./library/event/project/sequence")
total = rt(seq.get("duration"))
assets = {a.get("id"): a for a in root.iter("asset")}
for a in assets.values():
    src = a.find("media-rep").get("src")
    if not os.path.isfile(os.path.normpath(os.path.join(out, src))): fail("asset %s: %s not found" % (a.get("name"), src))
clips = {assets[c.get("ref")].get("name"): c for c in root.findall(".//spine/*/asset-clip")}
for name, lane, role in (("narration.wav", "-1", "dialogue"), ("music.wav", "-2", "music")):
    c = clips.get(name)
    if c is None: fail("no %s clip in the pack's timeline" % name); continue
    a = assets[c.get("ref")]
    if a.find("media-rep").get("src") != "./" + name: fail("%s src %s" % (name, a.find("media-rep").get("src")))
    if c.get("lane") != lane or c.get("audioRole") != role or rt(c.get("duration")) != total:
        fail("%s clip: lane %s role %s duration %s (sequence %s)" % (name, c.get("lane"), c.get("audioRole"), c.get("duration"), total))
    samples = (os.path.getsize(os.path.join(out, name)) - 44) // 4  # 16-bit stereo WAV
    if abs(rt(a.get("duration")) - Fraction(samples, 48000)) > Fraction(1, 100):
        fail("%s asset lasts %s, the file %d samples" % (name, a.get("duration"), samples))
spine = list(root.find(".//spine"))
if sum(rt(c.get("duration")) for c in spine) != total: fail("the clips do not add up to the sequence")
fps = json.loads(subprocess.run(["ffprobe", "-v", "error", "-show_format", "-of", "json", os.path.join(out, "video.mp4")],
                                capture_output=True, check=True).stdout)["format"]
if abs(float(total) - float(fps["duration"])) > 0.2:  # one frame at the tests' 6 fps, and AAC's priming
    fail("the timeline lasts %.3f s, the video %s s" % (float(total), fps["duration"]))
sb = json.load(open(os.path.join(out, "script.json"), encoding="utf-8"))
live, cta = sb.get("live", {}), sb["scenes"][-1]
want = "\n".join(x for x in (live.get("title"), live.get("time_text") or live.get("time"), live.get("cta"), live.get("platform")) if x)
card = [t for c in spine if c.get("name") == cta["id"] for t in c.findall("title")]
if live.get("title") and (len(card) != 1 or card[0].get("name") != "end card" or "".join(card[0].find("text").itertext()) != want):
    fail("the CTA title is not the video's end card: %r" % ["".join(t.itertext()) for t in card])

page = open(os.path.join(out, "index.html"), encoding="utf-8").read()
for f in ("timeline.fcpxml", "narration.wav", "music.wav"):
    if not re.search(r'<tr><td><a href="%s">%s</a></td><td>video</td><td><span class="badge generated"' % (re.escape(f), re.escape(f)), page):
        fail("the review page's file table does not list %s (video, generated)" % f)
for e in errs: print("FAIL:", e)
if not errs: print("ok: the pack's timeline plays its narration.wav and music.wav (%.3f s), both in manifest.json" % float(total))
sys.exit(1 if errs else 0)
