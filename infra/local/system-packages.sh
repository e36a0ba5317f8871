#!/usr/bin/env bash
# Debian packages the Python dependencies need but cannot install themselves: WeasyPrint
# (comms-api's letter PDFs) draws with Pango, needs a font, and subsets fonts with HarfBuzz
# (without libharfbuzz-subset it falls back to fontTools, seven times slower per letter).
# Installed only when missing, and only where apt-get can run (root on Debian).
set -euo pipefail

missing=()
ldconfig -p | grep -q libpangoft2-1.0 || missing+=(libpango-1.0-0 libpangoft2-1.0-0)
ldconfig -p | grep -q libharfbuzz-subset || missing+=(libharfbuzz-subset0)
fc-list 2>/dev/null | grep -qi dejavu || missing+=(fonts-dejavu-core fontconfig)
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null; then
  echo "Letter PDFs need these Debian packages: ${missing[*]} (install them as root)" >&2
  exit 1
fi
echo "--- installing ${missing[*]} (Debian packages) for letter PDFs" >&2
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
