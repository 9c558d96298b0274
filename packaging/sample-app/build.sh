#!/usr/bin/env bash
# Builds the bundled sample app (busybox httpd serving www/, listening on $PORT given by the agent) as
# REPOSITORY:VERSION and pushes it. Used by packaging/quickstart.sh and the benchmark; no public registry needed.
# Usage: build.sh REPOSITORY VERSION    e.g. build.sh 127.0.0.1:5000/sample v2
set -euo pipefail
repository=$1
version=$2
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
rootfs="$(mktemp -d)"
trap 'rm -rf "$rootfs"' EXIT
mkdir -p "$rootfs/bin" "$rootfs/www"
cp /bin/busybox "$rootfs/bin/busybox"
ln -s busybox "$rootfs/bin/sh"
cp -r "$here/www/." "$rootfs/www/"
printf 'sample app %s\n' "$version" > "$rootfs/www/index.html"
printf '%s\n' "$version" > "$rootfs/www/version"
tar -C "$rootfs" -c . | docker import \
  -c 'CMD ["/bin/sh","-c","exec /bin/busybox httpd -f -p 127.0.0.1:$PORT -h /www"]' \
  -c 'LABEL org.opencontainers.image.title=mizan-sample' \
  - "$repository:$version" >/dev/null
docker push "$repository:$version" >/dev/null
echo "built and pushed $repository:$version"
