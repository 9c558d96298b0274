#!/usr/bin/env bash
# One command from a fresh Debian 12 (as root, with the .NET 10 SDK) to a real blue-green deploy:
# installs and starts the Docker engine, nginx and a local registry, builds and starts mizan-agent,
# deploys the bundled sample app twice (v1, then v2 into the other slot), and ends with `mizanctl status`.
# Safe to run again. Everything listens on 127.0.0.1 only.
#
# Where things go:  /opt/mizan             agent and mizanctl builds
#                   /etc/mizan-agent       agent.json (written only when absent)
#                   /var/lib/mizan-agent   the agent's SQLite journal;  /var/log/mizan-agent  its logs
#                   /etc/nginx/conf.d/mizan-sample.conf, /etc/nginx/mizan/  the sample's site and upstream
#                   /var/lib/mizan-demo    the demo registry's storage and the processes' logs
set -euo pipefail
repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
say() { printf '\n==> %s\n' "$*"; }
[ "$(id -u)" = 0 ] || { echo "quickstart.sh: run as root (it installs packages and starts services)" >&2; exit 2; }
command -v dotnet >/dev/null || { echo "quickstart.sh: the .NET 10 SDK is needed to build the agent (dotnet not on PATH)" >&2; exit 2; }

export DOCKER_API_VERSION="${DOCKER_API_VERSION:-1.41}"
demo=/var/lib/mizan-demo
mkdir -p "$demo"

say "packages"
missing=()
command -v dockerd >/dev/null || missing+=(docker.io)
command -v nginx >/dev/null || missing+=(nginx)
command -v docker-registry >/dev/null || missing+=(docker-registry)
command -v curl >/dev/null || missing+=(curl)
dpkg-query -W -f='${Status}' busybox-static 2>/dev/null | grep -q 'install ok installed' || missing+=(busybox-static)
if ((${#missing[@]})); then
  DEBIAN_FRONTEND=noninteractive apt-get update -q
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

wait_for() { # wait_for SECONDS DESCRIPTION COMMAND...
  local seconds=$1 what=$2; shift 2
  for _ in $(seq 1 "$seconds"); do "$@" >/dev/null 2>&1 && return 0; sleep 1; done
  echo "quickstart.sh: $what did not come up within $seconds s" >&2; return 1
}

say "Docker engine"
if ! docker info >/dev/null 2>&1; then
  nohup dockerd --bridge=none --iptables=false --ip-masq=false >>"$demo/dockerd.log" 2>&1 &
  wait_for 60 "dockerd (log: $demo/dockerd.log)" docker info
fi
docker version --format 'engine {{.Server.Version}} (API {{.Server.APIVersion}})'

say "registry on 127.0.0.1:5000"
if ! curl -fsS http://127.0.0.1:5000/v2/ >/dev/null 2>&1; then
  cat >"$demo/registry.yml" <<YAML
version: 0.1
storage:
  filesystem:
    rootdirectory: $demo/registry
http:
  addr: 127.0.0.1:5000
YAML
  nohup docker-registry serve "$demo/registry.yml" >>"$demo/registry.log" 2>&1 &
  wait_for 30 "the registry (log: $demo/registry.log)" curl -fsS http://127.0.0.1:5000/v2/
fi

say "sample app images"
"$repo_root/packaging/sample-app/build.sh" 127.0.0.1:5000/sample v1
"$repo_root/packaging/sample-app/build.sh" 127.0.0.1:5000/sample v2

say "nginx: the sample's site on 127.0.0.1:8080"
mkdir -p /etc/nginx/mizan
cat >/etc/nginx/conf.d/mizan-sample.conf <<'NGINX'
# The sample app's site. The agent owns /etc/nginx/mizan/sample.conf (the upstream): it rewrites it on each switch in
# Traffic:Mode Reload, and once, to the front ports, in Traffic:Mode Redirect.
include /etc/nginx/mizan/*.conf;
server {
    listen 127.0.0.1:8080;
    location / {
        proxy_pass http://sample_backend;
        # Lets the agent's verify step (and you) see which slot answered.
        add_header X-Mizan-Upstream $upstream_addr always;
    }
}
NGINX
# Before the first deploy the upstream must exist for `nginx -t`; the agent replaces this placeholder.
[ -f /etc/nginx/mizan/sample.conf ] || echo 'upstream sample_backend { server 127.0.0.1:18081; }' >/etc/nginx/mizan/sample.conf
nginx -t
if [ -s /run/nginx.pid ] && kill -0 "$(cat /run/nginx.pid)" 2>/dev/null; then nginx -s reload; else nginx; fi

say "mizan-agent and mizanctl"
dotnet publish "$repo_root/agent/Mizan.Agent.csproj" -c Release -o /opt/mizan/agent --nologo -v quiet
dotnet publish "$repo_root/control/Mizan.Control.csproj" -c Release -o /opt/mizan/mizanctl --nologo -v quiet
ln -sf /opt/mizan/mizanctl/mizanctl /usr/local/bin/mizanctl
mkdir -p /etc/mizan-agent
if [ ! -f /etc/mizan-agent/agent.json ]; then
  # Traffic:Mode Redirect when nftables is here (nft, and libnftables.so.1 that the agent loads): nginx's upstream
  # lists the sample's front ports and a switch rewrites the agent's nftables table, with no nginx reload. The front
  # ports are the first block of 11 from 18090 (18090-18100, 18101-18111, ...) that nothing listens on. Otherwise
  # Reload: each switch rewrites the upstream file and reloads nginx.
  traffic_mode=Reload front_port=18090
  if command -v nft >/dev/null && { ldconfig -p 2>/dev/null | grep -q 'libnftables\.so\.1 ' || compgen -G '/usr/lib/*/libnftables.so.1' >/dev/null; }; then
    traffic_mode=Redirect
    # `ss -ltn` where iproute2 is installed, a connection to the port otherwise.
    listening=""
    command -v ss >/dev/null && listening=" $(ss -Hltn | awk '{ n = split($4, a, ":"); printf "%s ", a[n] }') "
    listened() { if [ -n "$listening" ]; then [[ $listening == *" $1 "* ]]; else (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; fi; }
    for ((first = 18090; first + 10 <= 18199; first += 11)); do
      busy=false
      for ((port = first; port <= first + 10; port++)); do
        if listened "$port"; then busy=true; fi
      done
      if ! $busy; then front_port=$first; break; fi
    done
    say "Traffic:Mode Redirect (nftables found): the sample's front ports are 127.0.0.1:$front_port-$((front_port + 10))"
  else
    say "Traffic:Mode Reload: no nftables here, so each switch reloads nginx (apt-get install nftables for switches without a reload)"
  fi
  cat >/etc/mizan-agent/agent.json <<JSON
{
  "Agent": { "SocketPath": "/run/mizan-agent/agent.sock", "DataDirectory": "/var/lib/mizan-agent", "LogDirectory": "/var/log/mizan-agent" },
  "Nginx": { "Mode": "Host", "Binary": "/usr/sbin/nginx" },
  "Traffic": { "Mode": "$traffic_mode" },
  "Apps": {
    "sample": {
      "Image": "127.0.0.1:5000/sample",
      "BluePort": 18081,
      "GreenPort": 18082,
      "Health": { "Path": "/health", "Interval": "00:00:00.100", "SuccessesNeeded": 2, "StartTimeout": "00:00:30" },
      "Verify": { "Url": "http://127.0.0.1:8080/health", "Interval": "00:00:00.020", "SuccessesNeeded": 3, "Timeout": "00:00:10" },
      "Upstream": { "Name": "sample_backend", "File": "/etc/nginx/mizan/sample.conf", "FrontPort": $front_port },
      "KeepStandbyFor": "01:00:00"
    }
  }
}
JSON
fi
if mizanctl status --agent unix:///run/mizan-agent/agent.sock >/dev/null 2>&1; then
  say "an agent already answers on /run/mizan-agent/agent.sock; restarting it on the new build"
  [ -s "$demo/agent.pid" ] && kill "$(cat "$demo/agent.pid")" 2>/dev/null || true
  sleep 1
fi
if command -v systemctl >/dev/null && systemctl is-system-running >/dev/null 2>&1 && [ -f /etc/systemd/system/mizan-agent.service ]; then
  systemctl restart mizan-agent
else
  nohup /opt/mizan/agent/mizan-agent --config /etc/mizan-agent/agent.json >>"$demo/agent.log" 2>&1 &
  echo $! >"$demo/agent.pid"
fi
wait_for 30 "mizan-agent (log: $demo/agent.log)" mizanctl status

say "blue-green deploy of the sample app: v1, then v2"
mizanctl deploy --app sample --image v1 --requested-by quickstart
mizanctl deploy --app sample --image v2 --requested-by quickstart
curl -fsS http://127.0.0.1:8080/

say "mizanctl status"
mizanctl status
