#!/usr/bin/env bash
# Makes sure the CPU speech engines the relayer's espeak and pocketsphinx
# engines run are present: espeak-ng (tts), pocketsphinx with its English
# model (stt) and sox (resampling to 16 kHz mono), installing Debian's
# packages when one is missing. The real-engine tests skip without them
# (and fail under CI=true).
set -euo pipefail
need=()
command -v espeak-ng >/dev/null 2>&1 || need+=(espeak-ng)
command -v pocketsphinx_continuous >/dev/null 2>&1 || command -v pocketsphinx >/dev/null 2>&1 || need+=(pocketsphinx)
[ -d /usr/share/pocketsphinx/model/en-us/en-us ] || need+=(pocketsphinx-en-us)
command -v sox >/dev/null 2>&1 || need+=(sox)
if [ ${#need[@]} -eq 0 ]; then
  echo "speech engines: espeak-ng, pocketsphinx (en-us), sox present"
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "missing ${need[*]}; run as root or: sudo apt-get install -y ${need[*]}" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get -o DPkg::Lock::Timeout=300 update -q
apt-get -o DPkg::Lock::Timeout=300 install -y -q --no-install-recommends "${need[@]}"
