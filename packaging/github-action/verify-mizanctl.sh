#!/usr/bin/env bash
# Checks a downloaded mizanctl against the SHA-256 the workflow pinned (the action's input mizanctl-sha256), before
# anything runs it. The pin must come from the workflow: a checksum fetched from the release beside the binary would
# change with it, so this script never fetches one.
#
#   verify-mizanctl.sh FILE PINNED_SHA256 [WHERE_FROM]      exit 0: FILE is the pinned build; 1: it is not, or no pin
#
# Under GitHub Actions (GITHUB_ACTIONS=true) a failure is an ::error:: annotation on stdout; elsewhere a line on stderr.
set -euo pipefail
file=${1:?usage: verify-mizanctl.sh FILE PINNED_SHA256 [WHERE_FROM]}
pinned="$(printf '%s' "${2-}" | tr -d '[:space:]' | tr '[:upper:]' '[:lower:]')"
from=${3:-$file}
where_to_find="packaging/build-release.sh prints it: the mizanctl line of mizan-agent-VERSION-linux-ARCH.sha256"

fail() {
  if [ "${GITHUB_ACTIONS:-}" = true ]; then
    local message=${1//'%'/'%25'}
    printf '::error title=mizanctl checksum::%s\n' "$message"
  else
    printf 'verify-mizanctl.sh: %s\n' "$1" >&2
  fi
  exit 1
}

[ -n "$pinned" ] || fail "no SHA-256 pinned for mizanctl: set the input mizanctl-sha256 to the hash of the release's bin/mizanctl for this runner's architecture; $where_to_find"
[[ "$pinned" =~ ^[0-9a-f]{64}$ ]] || fail "mizanctl-sha256 '${2-}' is not a SHA-256 (64 hex digits); $where_to_find"
[ -f "$file" ] || fail "$file is missing: the release tarball from $from has no bin/mizanctl"
actual="$(sha256sum "$file" | cut -d' ' -f1)"
[ "$actual" = "$pinned" ] || fail "mizanctl from $from does not match the pinned checksum: expected SHA-256 $pinned (mizanctl-sha256), actual $actual. Either the download is not the release you pinned (do not use it), or the pin belongs to another version or architecture: pin the hash of this version's mizanctl for this runner; $where_to_find"
echo "mizanctl SHA-256 $actual matches the pinned mizanctl-sha256"
