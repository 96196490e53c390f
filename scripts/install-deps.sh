#!/usr/bin/env bash
# Installs what igs needs at run time on Debian: Chromium, fontconfig and the
# Noto CJK and Noto Color Emoji fonts. Does nothing when all are present.
set -euo pipefail

packages=(chromium fontconfig fonts-noto-cjk fonts-noto-color-emoji)

have_all() {
  command -v chromium >/dev/null 2>&1 || command -v "${IGS_CHROME_PATH:-chromium}" >/dev/null 2>&1 || return 1
  command -v fc-list >/dev/null 2>&1 || return 1
  [[ -n "$(fc-list ':lang=zh' family 2>/dev/null)" ]] || return 1
  fc-list 2>/dev/null | grep -qi 'Noto Color Emoji' || return 1
}

if have_all; then
  exit 0
fi

if ! command -v apt-get >/dev/null 2>&1; then
  echo "install-deps: apt-get not found; install Chromium and the Noto CJK and Noto Color Emoji fonts yourself, or set IGS_CHROME_PATH" >&2
  exit 1
fi

sudo=""
if [[ "$(id -u)" -ne 0 ]]; then
  if ! command -v sudo >/dev/null 2>&1; then
    echo "install-deps: run as root or install sudo to add: ${packages[*]}" >&2
    exit 1
  fi
  sudo="sudo"
fi

echo "install-deps: installing ${packages[*]}" >&2
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${packages[@]}" >/dev/null
$sudo fc-cache -f >/dev/null 2>&1 || true
have_all || { echo "install-deps: packages installed but Chromium or the fonts are still missing" >&2; exit 1; }
