#!/bin/sh
# Rasterizes the icon source build/icon.svg into what the installers use, with Debian's tools
# (librsvg2-bin, icnsutils, icoutils), so that packaging downloads no icon converter:
#   build/icon.png   1024 px (Linux; macOS refuses less than 512 px)
#   build/icon.icns  macOS, 16 to 1024 px
#   build/icon.ico   Windows, 16 to 256 px
#   renderer/public/favicon.png  the window's favicon
set -eu
cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for size in 16 32 48 64 128 256 512 1024; do
  rsvg-convert -w "$size" -h "$size" build/icon.svg -o "$tmp/$size.png"
done
cp "$tmp/1024.png" build/icon.png
cp "$tmp/64.png" renderer/public/favicon.png
png2icns build/icon.icns "$tmp/16.png" "$tmp/32.png" "$tmp/128.png" "$tmp/256.png" "$tmp/512.png" "$tmp/1024.png" >/dev/null
icotool -c -o build/icon.ico "$tmp/16.png" "$tmp/32.png" "$tmp/48.png" "$tmp/64.png" "$tmp/128.png" -r "$tmp/256.png"
