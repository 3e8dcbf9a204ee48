#!/usr/bin/env bash
# Builds the Debian 13 (trixie) root the live tests start Debian 13's daemons from
# (transmission-daemon 4.1, qbittorrent-nox 5.1, deluged 2.2), or reuses it when it is there.
# Needs root, debootstrap and the Debian mirror (run it before the tests, outside their private
# network namespace). The root is built in a temporary directory beside its final place and
# renamed only once complete, so a half-built root is never taken for a finished one.
#
#   scripts/trixie-root.sh            # builds ${SEEDBOX_TRIXIE_ROOT:-/var/cache/seedbox-remote/trixie}
set -euo pipefail

root="${SEEDBOX_TRIXIE_ROOT:-/var/cache/seedbox-remote/trixie}"
mirror="${SEEDBOX_DEBIAN_MIRROR:-http://deb.debian.org/debian}"
packages=(qbittorrent-nox transmission-daemon deluged)
# Written last: its presence is what "complete" means (scripts/test.mjs checks the same file).
marker=.seedbox-trixie-root

if [ -f "$root/$marker" ]; then
  echo "Debian 13 root: reusing $root ($(tr '\n' ' ' < "$root/$marker"))"
  exit 0
fi
if [ "$(id -u)" != 0 ]; then
  echo "Building the Debian 13 root needs root (debootstrap, chroot): sudo $0" >&2
  exit 1
fi
command -v debootstrap >/dev/null || { echo "debootstrap is missing: apt-get install debootstrap" >&2; exit 1; }
if [ -e "$root" ]; then
  echo "$root exists but is not a complete root (no $marker): move it away or delete it, then run $0 again." >&2
  exit 1
fi

parent="$(dirname "$root")"
mkdir -p "$parent"
# One build at a time: a second run waits, then finds the finished root.
exec 9>"$root.lock"
flock 9
if [ -f "$root/$marker" ]; then echo "Debian 13 root: built meanwhile by another run: $root"; exit 0; fi

build="$(mktemp -d "$root.building.XXXXXX")"
cleanup() {
  # debootstrap mounts proc and sys inside the target while it runs: unmount whatever is
  # left under the build directory (deepest first) before deleting it, and never cross into
  # another file system while deleting.
  { findmnt -rn -o TARGET | grep -F "$build/" | sort -r | while read -r mountpoint; do umount -l "$mountpoint"; done; } || true
  rm -rf --one-file-system "$build"
}
trap cleanup EXIT

started=$SECONDS
echo "Debian 13 root: debootstrap into $build (about 2 minutes, 450 MB)"
# debootstrap's resolver misses virtual packages, leaves python3-cryptography unconfigured and
# exits with an error after unpacking everything: apt inside the root finishes the job, and the
# check at the end decides whether the root is complete.
if ! debootstrap --variant=minbase --include="$(IFS=,; echo "${packages[*]}")" trixie "$build" "$mirror"; then
  if [ ! -x "$build/usr/bin/apt-get" ]; then
    echo "debootstrap failed before apt was in the root: see the output above." >&2
    exit 1
  fi
  echo "Debian 13 root: debootstrap left packages unconfigured; finishing with apt inside the root"
fi

# Nothing in the root may start a service.
cp /etc/resolv.conf "$build/etc/resolv.conf"
printf '#!/bin/sh\nexit 101\n' > "$build/usr/sbin/policy-rc.d"
chmod 755 "$build/usr/sbin/policy-rc.d"
# /proc for the package scripts, in a private mount namespace: it goes away with the command.
unshare --mount --propagation private sh -c '
  mount -t proc proc "$1/proc"
  # dpkg --configure -a fails on the missing dependency; apt-get -f install then fetches it.
  exec chroot "$1" sh -c "apt-get update -qq; dpkg --configure -a; DEBIAN_FRONTEND=noninteractive apt-get -f install -y -qq; apt-get clean"
' sh "$build"

# Check that every daemon is there and configured, and record the versions.
chroot "$build" dpkg-query -W -f '${Package} ${Version} ${db:Status-Abbrev}\n' "${packages[@]}" > "$build/$marker.tmp"
if grep -v ' ii *$' "$build/$marker.tmp" >&2; then
  echo "Debian 13 root: the packages above are not installed and configured." >&2
  exit 1
fi
sed 's/ ii *$//' "$build/$marker.tmp" > "$build/$marker"
rm "$build/$marker.tmp"

mv -T "$build" "$root"
trap - EXIT
echo "Debian 13 root: built $root in $((SECONDS - started)) s ($(du -sh --one-file-system "$root" | cut -f1)): $(tr '\n' ' ' < "$root/$marker")"
