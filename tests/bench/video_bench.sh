#!/bin/sh
# video_bench.sh — the W60 video benchmark (issue 5): 60 s of 1080x1920 from 8 photos (7.5 s each,
# Ken Burns, 0.5 s crossfades, one Chinese caption per photo, a music bed), timed in one run as
#   (a) onefish video,
#   (b) the equivalent ffmpeg command line (zoompan, xfade, drawtext, amix; ../shared/bench),
#   (c) the encoder floor: ffmpeg's libx264 alone encoding onefish's own frames again, decoded to raw
#       beforehand, no filters, no audio, with onefish's exact x264 settings (veryfast, CRF 23,
#       threads 2, sync-lookahead=0, lookahead-threads=4: the repeatable configuration, see
#       stages/render/encoder.c); the ratios are to this floor;
#   (d) for reference, the same floor with x264's default threaded lookahead (faster, but its
#       output is not repeatable run to run, so onefish cannot use it).
# Prints wall/CPU seconds, peak RSS and the ratios to the floor as a Markdown table
# (copy it into docs/BENCHMARKS.md, "## Video"). Takes several minutes; not part of make check.
# Needs the reference workload: ../shared/bench/make-workload.sh (run automatically if missing).
set -eu
: "${ONEFISH:?}" "${ONEFISH_ROOT:?}"
SHARED="$ONEFISH_ROOT/../shared/bench"
BW="${BENCH_WORK:-/var/tmp/slideshow-bench}"
D="$BW/work/W60"
[ -f "$D/workload.json" ] || bash "$SHARED/make-workload.sh"
OUT="${BENCH_OUT:-/var/tmp/onefish-video-bench}"
RAW="${BENCH_RAW:-/dev/shm/onefish-w60.yuv}"
rm -rf "$OUT"
mkdir -p "$OUT"
trap 'rm -f "$RAW"' EXIT

# time LABEL cmd... → one line "label wall cpu rss_mb" in $OUT/times
measure() {
	label=$1
	shift
	/usr/bin/time -f '%e %U %S %M' -o "$OUT/time.$label" "$@" > "$OUT/log.$label" 2>&1 || {
		echo "bench: $label failed"
		tail -5 "$OUT/log.$label"
		exit 1
	}
	awk -v l="$label" '{ printf "%s %.2f %.2f %.0f\n", l, $1, $2 + $3, $4 / 1024 }' "$OUT/time.$label" >> "$OUT/times"
}

# (a) onefish: the workload as a storyboard; music from the workload, no narration
python3 "$ONEFISH_ROOT/tests/bench/video_w60_script.py" "$D" "$OUT/pack"
measure onefish "$ONEFISH" video "$OUT/pack/script.json" -o "$OUT/onefish" --quiet

# (b) the ffmpeg command line (zoompan variant: what users write today)
python3 "$SHARED/lib/ffmpeg_graph.py" "$D" zp1 > "$OUT/graph.txt"
set --
for f in "$D"/photos/*.jpg; do set -- "$@" -framerate 30 -i "$f"; done
measure ffmpeg_cli ffmpeg -nostdin -hide_banner -y "$@" -i "$D/music.wav" \
	-filter_complex_script "$OUT/graph.txt" -map "[vout]" -map "[aout]" \
	-c:v libx264 -preset veryfast -crf 23 -pix_fmt yuv420p -c:a aac -b:a 128k -movflags +faststart \
	"$OUT/ffmpeg-cli.mp4"

# (c) the encoder floor on onefish's own frames (decoded before timing)
ffmpeg -nostdin -v error -y -i "$OUT/onefish/video.mp4" -f rawvideo -pix_fmt yuv420p "$RAW"
X264_SAME="sync-lookahead=0:lookahead-threads=4:deterministic=1"
measure floor ffmpeg -nostdin -hide_banner -y -f rawvideo -pix_fmt yuv420p -s 1080x1920 -framerate 30 -i "$RAW" \
	-c:v libx264 -preset veryfast -crf 23 -threads 2 -x264-params "$X264_SAME" -pix_fmt yuv420p \
	-movflags +faststart -an "$OUT/floor.mp4"
# (d) x264's default (threaded, not repeatable) lookahead, for reference
measure floor_threaded_lookahead ffmpeg -nostdin -hide_banner -y -f rawvideo -pix_fmt yuv420p -s 1080x1920 \
	-framerate 30 -i "$RAW" -c:v libx264 -preset veryfast -crf 23 -threads 2 -pix_fmt yuv420p \
	-movflags +faststart -an "$OUT/floor-threaded-lookahead.mp4"

frames=$(ffprobe -v error -count_packets -select_streams v -show_entries stream=nb_read_packets -of csv=p=0 \
	"$OUT/onefish/video.mp4")
echo "onefish frames: $frames (want 1800)"
load=$(cut -d' ' -f1-3 /proc/loadavg)
echo
echo "| W60 (1800 frames 1080x1920) | wall s | CPU s | peak RSS MB | wall / floor | CPU / floor |"
echo "| --- | ---: | ---: | ---: | ---: | ---: |"
awk '
	{ l[NR] = $1; w[NR] = $2; c[NR] = $3; r[NR] = $4; if ($1 == "floor") { fw = $2; fc = $3 } }
	END { for (i = 1; i <= NR; i++)
		printf "| %s | %.1f | %.1f | %d | %.2f | %.2f |\n", l[i], w[i], c[i], r[i], w[i] / fw, c[i] / fc }
' "$OUT/times"
echo
echo "nproc $(nproc), load average before the end: $load; outputs in $OUT"
