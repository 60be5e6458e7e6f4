#!/bin/sh
# Voice bench: narration + music + ducking mix + loudness for a 60 s (W60) and
# a 300 s soundtrack. Builds tests/bench/voice_bench.c against build/libonefish.a;
# the music bed is generated with the ffmpeg CLI (allowed in benches, never in the library).
set -eu
BUILD=${BUILD:-build}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
command -v ffmpeg >/dev/null || { echo "voice bench: ffmpeg not installed, skipped"; exit 0; }
PKGS="libavformat libavcodec libavfilter libswscale libswresample libavutil libass fontconfig libcurl jansson yaml-0.1 libutf8proc opencc libxxhash espeak-ng friso libcmark libxml-2.0"
# shellcheck disable=SC2046
cc -std=c11 -D_GNU_SOURCE -O2 -Iinclude -o "$tmp/voice_bench" tests/bench/voice_bench.c "$BUILD/libonefish.a" \
	$(pkg-config --libs $PKGS) -lm -lpthread
# 40 s of two detuned chords, AAC in M4A: a stand-in for a real bed (looped by the mix).
ffmpeg -nostdin -hide_banner -loglevel error -f lavfi -i "sine=f=220:d=40" -f lavfi -i "sine=f=277:d=40" \
	-f lavfi -i "sine=f=330:d=40" -filter_complex "[0][1][2]amix=3,volume=2,aformat=channel_layouts=stereo" \
	-c:a aac -b:a 128k "$tmp/bed.m4a"
for secs in 60 300; do
	/usr/bin/time -f "  peak memory %M KB" "$tmp/voice_bench" "$tmp/bed.m4a" "$secs"
done
