#!/usr/bin/env bash
# Installs mizan-agent and mizanctl from this checkout as a systemd service. Safe to run again (it upgrades).
# Writes /etc/mizan-agent/agent.json only when none exists; never overwrites a configuration.
set -euo pipefail
repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
[ "$(id -u)" = 0 ] || { echo "install.sh: run as root" >&2; exit 2; }
command -v dotnet >/dev/null || { echo "install.sh: the .NET 10 SDK is needed to build from a checkout" >&2; exit 2; }
command -v docker >/dev/null || { echo "install.sh: Docker is missing: apt-get install docker.io" >&2; exit 2; }
command -v nginx >/dev/null || { echo "install.sh: nginx is missing: apt-get install nginx" >&2; exit 2; }

echo "==> building into /opt/mizan"
dotnet publish "$repo_root/agent/Mizan.Agent.csproj" -c Release -o /opt/mizan/agent --nologo -v quiet
dotnet publish "$repo_root/control/Mizan.Control.csproj" -c Release -o /opt/mizan/mizanctl --nologo -v quiet
ln -sf /opt/mizan/mizanctl/mizanctl /usr/local/bin/mizanctl
cp "$repo_root/README.md" /opt/mizan/README.md

install -d -m 0750 /etc/mizan-agent
if [ ! -f /etc/mizan-agent/agent.json ]; then
  install -m 0640 "$repo_root/packaging/agent.example.json" /etc/mizan-agent/agent.json
  echo "==> wrote /etc/mizan-agent/agent.json from packaging/agent.example.json: declare your apps there"
fi

install -m 0644 "$repo_root/systemd/mizan-agent.service" /etc/systemd/system/mizan-agent.service
if [ -d /run/systemd/system ]; then
  systemctl daemon-reload
  systemctl enable --now mizan-agent
  systemctl restart mizan-agent
  echo "==> mizan-agent is $(systemctl is-active mizan-agent); try: mizanctl status"
else
  echo "==> systemd is not running here: start it by hand with /opt/mizan/agent/mizan-agent --config /etc/mizan-agent/agent.json"
fi
