#!/bin/sh
# Installs the Debian 12 packages onefish needs to build, test and run.
# Idempotent: installs only what is missing, and says what it installs.
set -eu
PKGS="build-essential pkg-config git ca-certificates
libcmark-dev libxml2-dev libxml2-utils
libavformat-dev libavcodec-dev libavfilter-dev libswscale-dev libswresample-dev libavutil-dev ffmpeg
libass-dev libfontconfig-dev libfreetype-dev fonts-noto-cjk
libcurl4-openssl-dev libcmocka-dev libjansson-dev libyaml-dev libutf8proc-dev
libfriso-dev friso-dict libopencc-dev libopencc-data
libespeak-ng-dev espeak-ng espeak-ng-data libxxhash-dev zlib1g-dev libzip-dev
python3 python3-jieba jq xxd valgrind clang libclang-rt-14-dev chromium sox"
missing=""
for p in $PKGS; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    missing="$missing $p"
  fi
done
if [ -z "$missing" ]; then
  echo "deps: all $(echo $PKGS | wc -w) Debian packages present"
  exit 0
fi
echo "deps: installing:$missing"
SUDO=""
if [ "$(id -u)" != 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q
# shellcheck disable=SC2086
$SUDO apt-get install -y -q --no-install-recommends $missing
