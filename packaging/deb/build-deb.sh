#!/usr/bin/env bash
# Packs a staged release (see build-release.sh) as a .deb with dpkg-deb. The package carries the release under
# /opt/mizan/package; its maintainer scripts run that install.sh, so a .deb install, upgrade and removal do exactly
# what install.sh does (user, groups, directories, configuration only when absent, units, start, rollback).
# Usage: build-deb.sh STAGE VERSION COMMIT ARCH OUTDIR
set -euo pipefail
stage=$1 version=$2 commit=$3 arch=$4 out=$5
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
case "$arch" in x64) deb_arch=amd64 ;; arm64) deb_arch=arm64 ;; *) echo "build-deb.sh: unknown arch $arch" >&2; exit 2 ;; esac

root="$(mktemp -d)"
trap 'rm -rf "$root"' EXIT
mkdir -p "$root/DEBIAN" "$root/opt/mizan/package"
cp -a "$stage/." "$root/opt/mizan/package/"
size_kb="$(du -sk "$root/opt" | cut -f1)"
# nftables is a Recommends, not a Depends: with it (and its libnftables1) install.sh writes Traffic:Mode Redirect,
# switches without an nginx reload; without it, Reload, which needs nothing more than nginx.
cat >"$root/DEBIAN/control" <<CONTROL
Package: mizan-agent
Version: $version
Architecture: $deb_arch
Maintainer: MizanAgent maintainers <root@localhost>
Installed-Size: $size_kb
Depends: nginx | nginx-core | nginx-light | nginx-full, passwd
Recommends: docker.io | docker-ce, nftables
Section: admin
Priority: optional
Description: blue-green container deploys behind nginx, without a root shell for CI
 mizan-agent runs as a hardened systemd service; mizanctl (in /usr/local/bin) drives it. Built from commit $commit.
CONTROL
for script in postinst prerm postrm; do
  install -m 0755 "$here/$script" "$root/DEBIAN/$script"
done
deb="$out/mizan-agent_${version}_${deb_arch}.deb"
dpkg-deb --root-owner-group --build "$root" "$deb" >/dev/null
echo "==> $deb ($(du -h "$deb" | cut -f1))" >&2
