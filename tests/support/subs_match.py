#!/usr/bin/env python3
"""subs_match.py VIDEO.mp4 — checks that captions.srt and captions.vtt beside VIDEO.mp4 hold
exactly the cues of its mov_text track (times to the millisecond, text), and that the
last cue ends where the picture ends (within one frame). Exit 1 with the difference."""
import json
import os
import re
import subprocess
import sys

TIME = re.compile(r"^(\d\d):(\d\d):(\d\d)[,.](\d\d\d) --> (\d\d):(\d\d):(\d\d)[,.](\d\d\d)$")


def ms(g):
    return ((int(g[0]) * 60 + int(g[1])) * 60 + int(g[2])) * 1000 + int(g[3])


def cues(text, vtt=False):
    out = []
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    blocks = [b for b in text.split("\n\n") if b.strip()]
    if vtt:
        if not blocks or blocks[0].strip() != "WEBVTT":
            raise SystemExit("FAIL: captions.vtt does not start with WEBVTT")
        blocks = blocks[1:]
    for b in blocks:
        lines = b.split("\n")
        if not vtt:
            lines = lines[1:]  # the cue number
        m = TIME.match(lines[0])
        if not m:
            raise SystemExit("FAIL: bad cue timing line %r" % lines[0])
        body = "\n".join(lines[1:])
        body = re.sub(r"<[^>]*>", "", body)  # ffmpeg's <font>/<b> from the track's style
        if vtt:
            body = body.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
        out.append((ms(m.groups()[:4]), ms(m.groups()[4:]), body))
    return out


def main():
    mp4 = sys.argv[1]
    d = os.path.dirname(mp4)
    track = subprocess.run(["ffmpeg", "-nostdin", "-v", "error", "-i", mp4, "-map", "0:s", "-f", "srt", "-"],
                           capture_output=True, check=True).stdout.decode("utf-8")
    want = cues(track)
    if not want:
        raise SystemExit("FAIL: %s has no subtitle cues" % mp4)
    for name, vtt in (("captions.srt", False), ("captions.vtt", True)):
        got = cues(open(os.path.join(d, name), encoding="utf-8").read(), vtt)
        if got != want:
            for i in range(max(len(got), len(want))):
                a = want[i] if i < len(want) else None
                b = got[i] if i < len(got) else None
                if a != b:
                    raise SystemExit("FAIL: %s cue %d is %r, the video's track has %r" % (name, i + 1, b, a))
    # named like the video, players (mpv sub-auto, VLC, PotPlayer) would load them over the burned-in captions
    for name in ("video.srt", "video.vtt"):
        if os.path.exists(os.path.join(d, name)):
            raise SystemExit("FAIL: %s beside the video: players load it and show the captions twice" % name)
    v = json.loads(subprocess.run(["ffprobe", "-v", "error", "-select_streams", "v:0", "-show_entries",
                                   "stream=duration,r_frame_rate", "-of", "json", mp4],
                                  capture_output=True, check=True).stdout)["streams"][0]
    num, den = v["r_frame_rate"].split("/")
    frame = float(den) / float(num)
    dur = float(v["duration"])
    if abs(want[-1][1] / 1000.0 - dur) > frame + 0.002:
        raise SystemExit("FAIL: last cue ends at %.3f s, the picture at %.3f s" % (want[-1][1] / 1000.0, dur))
    print("ok: captions.srt and captions.vtt = the video's track (%d cues, last ends %.3f s, picture %.3f s)"
          % (len(want), want[-1][1] / 1000.0, dur))


main()
