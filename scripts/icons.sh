#!/bin/sh
# Rasterizes the icon source build/icon.svg (Debian: librsvg2-bin): the installers' icon at
# 1024 px (electron-builder derives every size from it; macOS refuses less than 512 px) and
# the window's favicon.
set -eu
cd "$(dirname "$0")/.."
rsvg-convert -w 1024 -h 1024 build/icon.svg -o build/icon.png
rsvg-convert -w 64 -h 64 build/icon.svg -o renderer/public/favicon.png
