#!/usr/bin/env bash
# Builds the release: mizan-agent and mizanctl self-contained for Linux (no .NET runtime needed on the server), packed
# with install.sh, the systemd units and the default configuration as
#   OUT/mizan-agent-VERSION-linux-ARCH.tar.gz      unpack and run ./install.sh, or put it beside install.sh
#   OUT/mizan-agent_VERSION_ARCH.deb                dpkg -i; its maintainer scripts run the same install.sh
#   OUT/mizan-agent-VERSION-linux-ARCH.sha256      SHA-256 of the tarball and of its bin/mizanctl (sha256sum -c reads it)
#
#   packaging/build-release.sh [--arch x64|arm64|all] [--out DIR] [--no-deb]     (defaults: x64, ./artifacts)
#
# The tarball's entries belong to root (0/0), whoever builds it: install.sh runs as root, and a tar extracted by root
# keeps the owners it records, which would hand the binaries root runs to whichever local account has the build
# user's uid. The mizanctl hash is what a workflow pins as the GitHub action's mizanctl-sha256.
#
# x64 is Native AOT: one native file per program, the fastest start and the smallest memory. arm64 cannot be
# AOT-compiled on an x64 machine (Native AOT needs the target's linker and libraries), so it is a self-contained,
# trimmed single file with ReadyToRun code instead (JIT for the rest).
set -euo pipefail
repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
arches=(x64) out="$repo_root/artifacts" deb=true
while (($#)); do
  case "$1" in
    --arch) case "$2" in x64 | arm64) arches=("$2") ;; all) arches=(x64 arm64) ;; *) echo "build-release.sh: --arch x64|arm64|all" >&2; exit 2 ;; esac; shift ;;
    --out) out="$2"; shift ;;
    --no-deb) deb=false ;;
    *) sed -n '2,17p' "${BASH_SOURCE[0]}" >&2; exit 2 ;;
  esac
  shift
done
[ -n "${MIZAN_PREBUILT_BIN:-}" ] || command -v dotnet >/dev/null ||
  { echo "build-release.sh: the .NET 10 SDK is needed (dotnet is not on PATH)" >&2; exit 2; }
mkdir -p "$out"
out="$(cd "$out" && pwd)"

version="$(sed -n 's:.*<Version>\(.*\)</Version>.*:\1:p' "$repo_root/Directory.Build.props" | head -n 1)"
commit="$(git -C "$repo_root" rev-parse --short=12 HEAD 2>/dev/null || echo unknown)"

publish() { # publish PROJECT RID DIR
  local project=$1 rid=$2 dir=$3
  local mode=(-p:PublishAot=true)
  [ "$rid" = linux-arm64 ] && mode=(--self-contained -p:PublishSingleFile=true -p:PublishTrimmed=true -p:PublishReadyToRun=true
    -p:IncludeNativeLibrariesForSelfExtract=false -p:TrimmerSingleWarn=true)
  dotnet publish "$repo_root/$project" -c Release -r "$rid" "${mode[@]}" -o "$dir" --nologo -v quiet
  # Debug symbols and the web SDK's static-asset manifest (the agent serves no files) stay out of the release.
  rm -f "$dir"/*.dbg "$dir"/*.pdb "$dir"/*.staticwebassets.endpoints.json
  chmod 0755 "$dir"/*
}

for arch in "${arches[@]}"; do
  name="mizan-agent-$version-linux-$arch"
  stage="$out/$name"
  rm -rf "$stage"
  mkdir -p "$stage/bin" "$stage/systemd" "$stage/packaging/libexec"
  if [ -n "${MIZAN_PREBUILT_BIN:-}" ]; then
    # The test suite reuses binaries it built before from the same sources, to repack after a packaging change.
    echo "==> $name: binaries from $MIZAN_PREBUILT_BIN" >&2
    cp -a "$MIZAN_PREBUILT_BIN/." "$stage/bin/"
  else
    echo "==> $name: publishing mizan-agent and mizanctl" >&2
    publish agent/Mizan.Agent.csproj "linux-$arch" "$stage/bin"
    publish control/Mizan.Control.csproj "linux-$arch" "$stage/bin"
  fi
  cp "$repo_root/install.sh" "$repo_root/README.md" "$stage/"
  cp -r "$repo_root/docs" "$stage/docs"
  cp "$repo_root"/systemd/mizan-agent.service "$repo_root"/systemd/mizan-nginx-control.socket "$repo_root"/systemd/mizan-nginx-control@.service "$stage/systemd/"
  cp "$repo_root/packaging/agent.default.json" "$repo_root/packaging/agent.example.json" "$stage/packaging/"
  cp "$repo_root/packaging/libexec/mizan-nginx-control" "$stage/packaging/libexec/"
  echo "$version $commit" >"$stage/VERSION"
  # install.sh reads this: a JIT build cannot run under MemoryDenyWriteExecute=yes.
  if [ "$arch" = x64 ]; then echo aot >"$stage/RUNTIME"; else echo jit >"$stage/RUNTIME"; fi
  tar --owner=0 --group=0 --numeric-owner -C "$out" -czf "$out/$name.tar.gz" "$name"
  echo "==> $out/$name.tar.gz ($(du -h "$out/$name.tar.gz" | cut -f1))" >&2
  (cd "$out" && sha256sum "$name.tar.gz" "$name/bin/mizanctl") >"$out/$name.sha256"
  echo "==> $out/$name.sha256:" >&2
  sed 's/^/      /' "$out/$name.sha256" >&2
  echo "    pin the mizanctl line's hash as the GitHub action's mizanctl-sha256 on $arch runners" >&2

  if $deb; then
    "$repo_root/packaging/deb/build-deb.sh" "$stage" "$version" "$commit" "$arch" "$out"
  fi
done
