#!/usr/bin/env bash
# Creates or updates the virtual environment and installs everything palaute needs,
# including the system libraries (zbar for QR decoding, Chromium for browser tests).
set -euo pipefail
venv="${1:-.venv}"

apt_packages=(libzbar0 poppler-utils chromium fonts-dejavu-core fonts-sjfonts fonts-tomsontalks fonts-breip fonts-tlwg-purisa-ttf)
if command -v apt-get >/dev/null 2>&1; then
  missing=()
  for p in "${apt_packages[@]}"; do
    dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
  done
  if [ "${#missing[@]}" -gt 0 ]; then
    sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
  fi
else
  echo "apt-get not found: install zbar, poppler-utils and chromium with your package manager" >&2
fi

python3 -m venv "$venv"
"$venv/bin/python" -m pip install -q --upgrade pip
"$venv/bin/python" -m pip install -q -e ".[dev]"
# Both QR decoders must load: pyzbar needs the system's zbar (libzbar0 above); zxing-cpp comes
# as a binary wheel (where pip finds none it builds it, which needs cmake and a C++ compiler).
if ! "$venv/bin/python" -c "import pyzbar.pyzbar, zxingcpp" >/dev/null 2>&1; then
  echo "the QR decoders cannot be loaded: check libzbar0 and the zxing-cpp package" >&2
  exit 1
fi
