#!/bin/sh
# video_music_path.sh — `onefish video` reads video.music relative to the folder of the onefish.yaml
# that holds it (docs/config.md, "Paths"), whatever the current directory: run from another folder,
# the music beside the config is found. A music file that cannot be opened is a warning naming the
# path that was tried; one outside the pack folder is refused with the config line (exit 3).
set -u
: "${ONEFISH:?}" "${ONEFISH_ROOT:?}"
for t in ffmpeg; do
	command -v $t >/dev/null 2>&1 || { echo "skip: $t missing"; exit 0; }
done
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }
ok() { echo "ok: $*"; }

cp -R "$ONEFISH_ROOT/tests/fixtures/render/short" "$T/x"
ffmpeg -nostdin -v error -f lavfi -i "sine=frequency=440:sample_rate=48000" -t 3 -ac 2 "$T/x/tone.wav" || { echo "FAIL: no tone"; exit 1; }
printf 'voice:\n  engine: none\nvideo:\n  fps: 6\n  x264_preset: ultrafast\n  music: tone.wav\n' > "$T/x/onefish.yaml"
mkdir -p "$T/elsewhere"

(cd "$T/elsewhere" && "$ONEFISH" video "$T/x/script.json" -o "$T/x/out" --preview) 2>"$T/err1" \
	|| { fail "render from another folder: exit $?"; cat "$T/err1"; }
grep -q 'no music' "$T/err1" && { fail "music beside onefish.yaml not found from another folder"; cat "$T/err1"; } \
	|| ok "video.music is read beside onefish.yaml from another folder"
# the tone is in the mix: the audio is far from silence
vol=$(ffmpeg -nostdin -i "$T/x/out/video.mp4" -map 0:a -af volumedetect -f null - 2>&1 | sed -n 's/.*max_volume: \(-*[0-9.]*\) dB.*/\1/p')
case "$vol" in
"" | -[5-9][0-9]* | -[1-9][0-9][0-9]*) fail "no music in the mix (max volume '${vol}' dB)" ;;
*) ok "the music is in the mix (max volume $vol dB)" ;;
esac

rm "$T/x/tone.wav"
(cd "$T/elsewhere" && "$ONEFISH" video "$T/x/script.json" -o "$T/x/out2" --preview) 2>"$T/err2" \
	|| fail "render with a missing music file: exit $?"
grep -q "no music: $T/x/tone.wav: cannot open music" "$T/err2" && ok "the warning names the path tried" \
	|| { fail "warning does not name $T/x/tone.wav"; cat "$T/err2"; }

printf 'voice:\n  engine: none\nvideo:\n  music: /etc/passwd\n' > "$T/x/onefish.yaml"
(cd "$T/elsewhere" && "$ONEFISH" video "$T/x/script.json" -o "$T/x/out3" --preview) 2>"$T/err3"; rc=$?
[ $rc -eq 3 ] && grep -q "onefish.yaml:4: video.music: '/etc/passwd' must be a path inside the pack folder" "$T/err3" \
	&& ok "a music path outside the pack folder is refused with its line (exit 3)" \
	|| { fail "outside path: exit $rc"; cat "$T/err3"; }

[ $fails -eq 0 ] || { echo "$fails failure(s)"; exit 1; }
echo "video_music_path: ok"
