#!/usr/bin/env bash
# Prints the tag of a Docker image holding a Debian 12 rootfs that boots systemd as PID 1 (with nginx and nftables
# inside), and builds it with debootstrap only when no image of that tag exists. The tag is a hash of this script, so
# changing the package list below makes a new image (a cached one from before nftables was added is never reused); an
# unchanged script reuses the cached one (about 2 minutes saved per run).
# Usage: systemd-image.sh            (as root; needs debootstrap and a Docker engine)
set -euo pipefail
export DOCKER_API_VERSION="${DOCKER_API_VERSION:-1.41}"

# nftables: nft and libnftables1, which the agent loads in Traffic:Mode Redirect (and which makes install.sh choose
# that mode); iproute2: ss, which install.sh uses to check that the front ports it picks are free.
packages=systemd,systemd-sysv,dbus,ca-certificates,curl,nginx,procps,nftables,iproute2
mirror="${MIZAN_DEBIAN_MIRROR:-http://deb.debian.org/debian}"

hash="$(sha256sum "${BASH_SOURCE[0]}" | cut -c1-12)"
tag="mizan-systemd-test:$hash"
if docker image inspect "$tag" >/dev/null 2>&1; then
  echo "$tag"
  exit 0
fi

command -v debootstrap >/dev/null || { echo "systemd-image.sh: debootstrap is missing: apt-get install debootstrap" >&2; exit 2; }
rootfs="$(mktemp -d /var/tmp/mizan-rootfs.XXXXXX)"
trap 'rm -rf "$rootfs"' EXIT
echo "systemd-image.sh: debootstrap bookworm into $rootfs (about 2 minutes)" >&2
debootstrap --variant=minbase --include="$packages" bookworm "$rootfs" "$mirror" >&2

# Containers share the host's network: nginx must not take port 80 from the host or from a sibling container.
# Each test writes its own site on a free 127.0.0.1 port.
rm -f "$rootfs/etc/nginx/sites-enabled/default"
# Nothing in a test container needs a login prompt or time sync; they only slow the boot and fill the journal.
for unit in getty@tty1.service systemd-timesyncd.service apt-daily.timer apt-daily-upgrade.timer; do
  rm -f "$rootfs/etc/systemd/system/"*.wants/"$unit"
done
# The containers share the host's network namespace, so its nftables ruleset too: nftables.service (`nft -f
# /etc/nftables.conf`, which starts with `flush ruleset`) would wipe the host's tables and every sibling's. Masked.
rm -f "$rootfs/etc/systemd/system/"*.wants/nftables.service
ln -sfn /dev/null "$rootfs/etc/systemd/system/nftables.service"
rm -rf "$rootfs/var/cache/apt/archives/"*.deb "$rootfs/var/lib/apt/lists/"*

# Labelled mizan.cache, not mizan.test: the integration suite sweeps stale mizan.test images, and this one is meant to stay.
tar -C "$rootfs" -c . | docker import \
  -c 'CMD ["/sbin/init"]' -c 'LABEL mizan.cache=systemd-rootfs' -c 'ENV container=docker' \
  - "$tag" >&2
echo "$tag"
