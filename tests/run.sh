#!/usr/bin/env bash
# The README's test command: prepares what the tests need on this machine, then runs `dotnet test`.
# Run as root on Debian 12 with the .NET 10 SDK. Safe to run again: it only installs or starts what is missing.
# Extra arguments go to `dotnet test` (e.g. tests/run.sh --filter FullyQualifiedName~Scenarios).
#
# What it does NOT do: start a registry or nginx. The integration-test fixtures start their own
# (free 127.0.0.1 ports, temp directories) for each test run and stop them by pid afterwards.
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo_root"

say() { printf '\n==> %s\n' "$*"; }

# --- 1. packages --------------------------------------------------------------------------
# command -> Debian package that provides it
declare -A needed=(
  [dockerd]=docker.io
  [nginx]=nginx
  [docker-registry]=docker-registry
  # htpasswd -B: the bcrypt password file of the htpasswd-protected test registry.
  [htpasswd]=apache2-utils
  # tests/Mizan.Systemd.Tests: the Debian rootfs that boots systemd in a container (built once, then cached as an image).
  [debootstrap]=debootstrap
  # Traffic:Mode Redirect: the agent's nat table (through libnftables) and the scenarios that inspect or flush it.
  [nft]=nftables
  # The fast test app of the load scenarios (tests/Mizan.Agent.IntegrationTests/Fixtures/fast-app), built at test time.
  [gcc]=gcc
)
missing=()
for command in "${!needed[@]}"; do
  command -v "$command" >/dev/null 2>&1 || missing+=("${needed[$command]}")
done
# Packages checked by name rather than by a command:
# busybox-static: the test images need a statically linked busybox (a dynamic one would not run in an empty rootfs).
# python3-grpcio, python3-grpc-tools: the non-.NET client of NonDotNetClientDeploysOverMutualTls (run with
# /usr/bin/python3, since a python3 earlier on PATH, e.g. pyenv's, would not see Debian's modules).
# libc6-dev: libc.a, for the fast test app's `gcc -static`.
for package in busybox-static python3-grpcio python3-grpc-tools libc6-dev; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed' || missing+=("$package")
done

if ((${#missing[@]} > 0)); then
  say "installing missing packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  # Their maintainer scripts would start services: a dockerd with a bridge and iptables rules, nginx on :80,
  # a registry on :5000. The tests want none of them, so forbid service starts during the install
  # (policy-rc.d exit 101), unless the machine already has its own policy.
  policy=/usr/sbin/policy-rc.d
  if [[ ! -e $policy ]]; then
    printf '#!/bin/sh\n# written by tests/run.sh for the duration of apt-get install\nexit 101\n' >"$policy"
    chmod 755 "$policy"
    trap 'rm -f "$policy"' EXIT
  fi
  apt-get update
  apt-get install -y --no-install-recommends "${missing[@]}"
  if [[ $(trap -p EXIT) ]]; then
    rm -f "$policy"
    trap - EXIT
  fi
else
  say "packages present: docker.io nginx docker-registry apache2-utils debootstrap nftables gcc busybox-static python3-grpcio python3-grpc-tools libc6-dev"
fi

# --- 2. docker client/engine --------------------------------------------------------------
# A machine may carry a newer docker client in /usr/local/bin than the engine from docker.io (API 1.41).
# Pin the API version the client speaks, unless the caller chose one.
export DOCKER_API_VERSION="${DOCKER_API_VERSION:-1.41}"
say "docker client: $(command -v docker) (DOCKER_API_VERSION=$DOCKER_API_VERSION)"

if docker info >/dev/null 2>&1; then
  say "docker engine answers: reusing it ($(docker version --format '{{.Server.Version}} API {{.Server.APIVersion}}' 2>/dev/null || echo unknown))"
else
  say "no docker engine answers: starting dockerd (log: /var/log/mizan-test-dockerd.log)"
  # No bridge, no iptables: containers run with host networking and listen on 127.0.0.1 only.
  nohup dockerd --bridge=none --iptables=false --ip-masq=false >>/var/log/mizan-test-dockerd.log 2>&1 &
  dockerd_pid=$!
  for _ in $(seq 1 60); do
    if docker info >/dev/null 2>&1; then
      break
    fi
    if ! kill -0 "$dockerd_pid" 2>/dev/null; then
      echo "dockerd exited; last lines of /var/log/mizan-test-dockerd.log:" >&2
      tail -n 30 /var/log/mizan-test-dockerd.log >&2
      exit 1
    fi
    sleep 1
  done
  if ! docker info >/dev/null 2>&1; then
    echo "dockerd (pid $dockerd_pid) did not answer within 60 s; last lines of its log:" >&2
    tail -n 30 /var/log/mizan-test-dockerd.log >&2
    exit 1
  fi
  say "dockerd started (pid $dockerd_pid)"
fi

# --- 3. tests -------------------------------------------------------------------------------
if (($# > 0)); then
  say "dotnet test MizanAgent.sln $*"
  exec dotnet test MizanAgent.sln "$@"
fi

# The systemd suite builds the Native AOT release (minutes of both cores) and boots containers: run alongside the
# other suites it would starve their agents, whose scenarios wait on real time. So: everything else first, then it.
say "dotnet build MizanAgent.sln"
dotnet build MizanAgent.sln
say "dotnet test: unit and integration suites"
dotnet test MizanAgent.sln --no-build --filter "FullyQualifiedName!~Mizan.Systemd.Tests"
say "dotnet test: the systemd suite (release build and rootfs image are cached between runs)"
exec dotnet test tests/Mizan.Systemd.Tests --no-build
