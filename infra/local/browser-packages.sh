#!/usr/bin/env bash
# Debian's Chromium for the end-to-end tests (`make e2e`): Playwright drives it with
# executable_path=/usr/bin/chromium and never downloads a browser of its own. Not part of
# `make install` (most runs need no browser). Installed only when missing, and only where
# apt-get can run (root on Debian).
set -euo pipefail

[ -x /usr/bin/chromium ] && exit 0

if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null; then
  echo "The end-to-end tests need Debian's chromium package (install it as root)" >&2
  exit 1
fi
echo "--- installing chromium (Debian package) for the end-to-end tests" >&2
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium >/dev/null
