#!/usr/bin/env bash
# Makes sure Blender is present (the render executor, relayer/executor/blender,
# and its tests run it), installing Debian's blender package when it is not
# (Blender 3.4.1 in Debian 12; about 20 s). apt-get update runs only when the
# install fails without it. Debian's build has no OpenImageDenoiser and no
# CUDA/OptiX kernels: the executor turns denoising off, and a provider with
# a GPU installs Blender from blender.org and sets the executor's Binary.
set -euo pipefail
if command -v blender >/dev/null 2>&1; then
  echo "Blender: $(command -v blender) ($(blender --version 2>/dev/null | head -n 1))"
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "Blender is missing; run as root or: sudo apt-get install -y --no-install-recommends blender" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
if ! apt-get install -y -q --no-install-recommends blender; then
  apt-get update -q
  apt-get install -y -q --no-install-recommends blender
fi
blender --version | head -n 1
