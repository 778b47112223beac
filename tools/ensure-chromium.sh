#!/usr/bin/env bash
# Makes sure Debian's chromium is present for the browser tour of the web
# page (cmd/gpumarket/internal/demo/browser_tour_test.go drives it with
# playwright-core from npm; no browser download is possible here),
# installing the package when it is missing. The tour is skipped without it
# (and fails under CI=true).
set -euo pipefail
if [ -x /usr/bin/chromium ]; then
  echo "chromium: $(/usr/bin/chromium --version 2>/dev/null || echo present)"
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "missing chromium; run as root or: sudo apt-get install -y chromium" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get -o DPkg::Lock::Timeout=300 update -q
apt-get -o DPkg::Lock::Timeout=300 install -y -q --no-install-recommends chromium
