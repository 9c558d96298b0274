#!/usr/bin/env bash
# Installs mizan-agent and mizanctl as a hardened systemd service, or upgrades them. Safe to run again.
#
#   ./install.sh [--no-start] [--install-deps]      install, or upgrade (keeps the previous binary; puts it back if
#                                                   the new agent does not become ready)
#   ./install.sh --uninstall [--purge]              remove the service and binaries; --purge also removes the
#                                                   configuration, the data (deployment history) and the user
#
# Where the binaries come from, first match wins:
#   1. bin/ beside this script (an unpacked release tarball, or the .deb's /opt/mizan/package);
#   2. a release tarball mizan-agent-*-linux-ARCH.tar.gz beside this script;
#   3. this checkout, built with packaging/build-release.sh (needs the .NET 10 SDK).
#
# Layout: /opt/mizan/releases/VERSION-TIME/ (binaries), /opt/mizan/current and /opt/mizan/previous (links),
# /etc/mizan-agent/agent.json (written only when absent), /var/lib/mizan-agent (data), /var/log/mizan-agent (logs),
# /etc/nginx/mizan (the upstream files the agent owns), /usr/local/bin/mizanctl.
set -euo pipefail
# What this script writes without an explicit mode is root's and nobody else's to change, whatever the caller's umask.
umask 022

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
prefix=/opt/mizan
config_dir=/etc/mizan-agent
data_dir=/var/lib/mizan-agent
log_dir=/var/log/mizan-agent
nginx_include_dir=/etc/nginx/mizan
unit_dir=/etc/systemd/system
user=mizan-agent
group=mizan
units=(mizan-agent.service mizan-nginx-control.socket mizan-nginx-control@.service)

say() { printf '==> %s\n' "$*"; }
fail() { printf 'install.sh: %s\n' "$1" >&2; exit "${2:-1}"; }
usage() { sed -n '2,16p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; }
# A JIT build (arm64) needs writable-executable memory, which the unit denies to the AOT build.
runtime_dropin() { # runtime_dropin RELEASE_DIR
  local dropin="$unit_dir/mizan-agent.service.d/jit.conf"
  if [ "$(cat "$1/RUNTIME" 2>/dev/null)" = jit ]; then
    install -d -m 0755 "$(dirname "$dropin")"
    printf '# Written by install.sh: this release JIT-compiles, so it needs writable-executable memory.\n[Service]\nMemoryDenyWriteExecute=no\n' >"$dropin"
  else
    rm -f "$dropin"
  fi
  systemctl daemon-reload
}

# Traffic:Mode Redirect needs nft's library, which the agent loads (libnftables.so.1, Debian's libnftables1).
have_nftables() {
  command -v nft >/dev/null 2>&1 || [ -x /usr/sbin/nft ] || return 1
  ldconfig -p 2>/dev/null | grep -q 'libnftables\.so\.1 ' && return 0
  compgen -G '/usr/lib/*/libnftables.so.1' >/dev/null || compgen -G '/lib/*/libnftables.so.1' >/dev/null
}
traffic_mode() { if have_nftables; then echo Redirect; else echo Reload; fi; }
# The first of 11 consecutive TCP ports (10 front ports and a backup) nothing listens on, on any address: the blocks
# from 18090 in steps of 11 up to 18199. `ss -ltn` where iproute2 is installed, bash's /dev/tcp connect otherwise.
front_count=10
free_front_ports() {
  local listening first port
  if command -v ss >/dev/null 2>&1; then
    listening=" $(ss -Hltn 2>/dev/null | awk '{ n = split($4, a, ":"); printf "%s ", a[n] }') "
  fi
  for ((first = 18090; first + front_count <= 18199; first += front_count + 1)); do
    for ((port = first; port <= first + front_count; port++)); do
      if [ -n "${listening:-}" ]; then
        [[ $listening == *" $port "* ]] && continue 2
      elif (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
        continue 2
      fi
    done
    echo "$first"
    return 0
  done
  return 1
}

no_start=false install_deps=false uninstall=false purge=false
while (($#)); do
  case "$1" in
    --no-start) no_start=true ;;
    --install-deps) install_deps=true ;;
    --uninstall) uninstall=true ;;
    --purge) purge=true ;;
    -h | --help) usage; exit 0 ;;
    *) usage >&2; fail "unknown option '$1'" 2 ;;
  esac
  shift
done
$purge && ! $uninstall && fail "--purge goes with --uninstall" 2

[ "$(id -u)" = 0 ] || fail "run as root (it creates a user, writes to /opt, /etc and /var, and manages systemd units): sudo $0 $*" 2
systemd_running=false
[ -d /run/systemd/system ] && systemd_running=true

# ---- uninstall --------------------------------------------------------------------------------------------------
if $uninstall; then
  if $systemd_running; then
    systemctl disable --now mizan-agent.service mizan-nginx-control.socket >/dev/null 2>&1 || true
  fi
  for unit in "${units[@]}"; do rm -f "$unit_dir/$unit"; done
  rm -rf "$unit_dir/mizan-agent.service.d/jit.conf"
  rmdir "$unit_dir/mizan-agent.service.d" 2>/dev/null || true
  $systemd_running && systemctl daemon-reload
  rm -rf "$prefix/releases" "$prefix/current" "$prefix/previous" "$prefix/libexec" "$prefix/README.md" "$prefix/docs" "$prefix/agent.example.json"
  for link in /usr/local/bin/mizanctl /usr/local/bin/mizan-agent; do
    [ -L "$link" ] && rm -f "$link"
  done
  rmdir "$prefix" 2>/dev/null || true
  if $purge; then
    rm -rf "$config_dir" "$data_dir" "$log_dir"
    [ -d "$nginx_include_dir" ] && echo "install.sh: kept $nginx_include_dir (nginx includes it; remove it with the include)"
    id "$user" >/dev/null 2>&1 && userdel "$user"
    getent group "$group" >/dev/null && groupdel "$group" 2>/dev/null || true
    say "mizan-agent removed with its configuration, data and user"
  else
    say "mizan-agent removed; kept $config_dir, $data_dir (deployment history) and $log_dir (--purge removes them)"
  fi
  exit 0
fi

# ---- what the machine must have -----------------------------------------------------------------------------------
if ! $systemd_running && ! $no_start; then
  fail "systemd is not running here (no /run/systemd/system), so the service cannot be started.
  Use --no-start to install only, then run: $prefix/current/mizan-agent --config $config_dir/agent.json" 2
fi
missing=()
[ -S /var/run/docker.sock ] || command -v dockerd >/dev/null || missing+=(docker.io)
[ -x /usr/sbin/nginx ] || command -v nginx >/dev/null || missing+=(nginx)
if ((${#missing[@]})); then
  if $install_deps; then
    say "installing ${missing[*]}"
    DEBIAN_FRONTEND=noninteractive apt-get update -q
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}"
  else
    fail "missing: ${missing[*]} (the agent drives the Docker engine and nginx). Install them (apt-get install ${missing[*]}) or run again with --install-deps" 2
  fi
fi

# ---- the binaries -------------------------------------------------------------------------------------------------
case "$(uname -m)" in
  x86_64) arch=x64 ;;
  aarch64) arch=arm64 ;;
  *) fail "unsupported machine $(uname -m): releases exist for x86_64 and aarch64" 2 ;;
esac
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
if [ -x "$here/bin/mizan-agent" ]; then
  source_dir="$here"
elif tarball="$(ls -1 "$here"/mizan-agent-*-linux-"$arch".tar.gz 2>/dev/null | sort -V | tail -n 1)" && [ -n "$tarball" ]; then
  say "unpacking $(basename "$tarball")"
  # Root's tar would otherwise give the files the owners recorded in the archive (an older release: its builder's uid).
  tar --no-same-owner -C "$work" -xzf "$tarball"
  source_dir="$(ls -d "$work"/mizan-agent-*/ | head -n 1)"
elif [ -f "$here/agent/Mizan.Agent.csproj" ]; then
  command -v dotnet >/dev/null || fail "building from a checkout needs the .NET 10 SDK (dotnet is not on PATH); or put a release tarball mizan-agent-*-linux-$arch.tar.gz beside install.sh" 2
  say "building from this checkout (packaging/build-release.sh)"
  "$here/packaging/build-release.sh" --arch "$arch" --out "$work/out" --no-deb >&2
  source_dir="$(ls -d "$work"/out/mizan-agent-*-linux-"$arch"/ | head -n 1)"
else
  fail "no binaries: expected bin/ or a release tarball mizan-agent-*-linux-$arch.tar.gz beside install.sh, or a checkout" 2
fi
source_dir="${source_dir%/}"
version="$("$source_dir/bin/mizan-agent" --version)" || fail "$source_dir/bin/mizan-agent does not run on this machine" 1

# ---- user, groups, directories ------------------------------------------------------------------------------------
getent group "$group" >/dev/null || groupadd --system "$group"
if ! id "$user" >/dev/null 2>&1; then
  useradd --system --gid "$group" --home-dir "$data_dir" --no-create-home --shell /usr/sbin/nologin \
    --comment "MizanAgent deploy agent" "$user"
  say "created user $user (group $group; members of $group are admins on the agent's socket)"
fi
# Docker: the docker group, and whatever group owns the socket (a socket mounted from elsewhere may carry another gid).
getent group docker >/dev/null || groupadd --system docker
usermod -aG docker "$user"
if [ -S /var/run/docker.sock ]; then
  socket_gid="$(stat -c %g /var/run/docker.sock)"
  if [ "$socket_gid" = 0 ]; then
    echo "install.sh: warning: /var/run/docker.sock belongs to group root; the agent cannot reach Docker until dockerd runs with its socket group docker (-G docker)" >&2
  else
    socket_group="$(getent group "$socket_gid" | cut -d: -f1 || true)"
    if [ -z "$socket_group" ]; then
      socket_group=docker-host
      groupadd --system --gid "$socket_gid" "$socket_group"
    fi
    usermod -aG "$socket_group" "$user"
  fi
fi

install -d -m 0750 -o root -g "$group" "$config_dir"
install -d -m 0750 -o "$user" -g "$group" "$data_dir" "$log_dir"
install -d -m 0755 -o "$user" -g "$group" "$nginx_include_dir"
if [ ! -e "$config_dir/agent.json" ]; then
  # Traffic:Mode for a configuration written now (an existing one keeps its own). Redirect, where switches never
  # reload nginx, when nftables is here; Reload otherwise. The example app's Upstream:FrontPort gets the first block of
  # 11 ports from 18090 (18090-18100, 18101-18111, ...) that nothing listens on now.
  mode="$(traffic_mode)"
  sed -e "s/\"Mode\": \"Reload\"/\"Mode\": \"$mode\"/" "$source_dir/packaging/agent.default.json" >"$work/agent.json"
  if [ "$mode" = Redirect ]; then
    if front="$(free_front_ports)"; then
      sed -i -e "s/18090/$front/g" -e "s/18100/$((front + front_count))/g" "$work/agent.json"
    else
      front=18090
      echo "install.sh: warning: no 11 free ports in 18090-18199 for the example's Upstream:FrontPort; pick your own" >&2
    fi
  fi
  install -m 0640 -o root -g "$group" "$work/agent.json" "$config_dir/agent.json"
  say "wrote $config_dir/agent.json (commented defaults): declare your apps there"
  if [ "$mode" = Redirect ]; then
    say "Traffic:Mode Redirect: nftables is here, so a switch rewrites the agent's nftables table and never reloads nginx;" \
      "every app needs Upstream:FrontPort (11 ports nothing listens on; the example's $front-$((front + front_count)) are free)"
  else
    say "Traffic:Mode Reload: no nftables here (nft and libnftables.so.1), so each switch reloads nginx." \
      "For switches without a reload: apt-get install nftables, then set Traffic:Mode Redirect and each app's Upstream:FrontPort"
  fi
else
  say "kept $config_dir/agent.json"
fi

# ---- install the release, keep the previous one -------------------------------------------------------------------
release="$prefix/releases/$(echo "$version" | awk '{print $2}' | tr '+' '-' | cut -c1-24)-$(date -u +%Y%m%dT%H%M%S)"
# Root runs these binaries, so only root may own or change them: the source may belong to whoever built or unpacked it
# (a checkout's build user, a tarball unpacked with its recorded owners), and a local account with that uid must not
# be able to replace what root runs next.
own_by_root() { chown -R root:root "$1" && chmod -R go-w "$1"; }
install -d -m 0755 -o root -g root "$prefix" "$prefix/releases" "$prefix/libexec"
rm -rf "$release.tmp"
install -d -m 0755 "$release.tmp"
cp -R --preserve=mode,timestamps "$source_dir/bin/." "$release.tmp/"
# Native AOT unless the release says otherwise (a checkout build of x64 is AOT too).
cat "$source_dir/RUNTIME" >"$release.tmp/RUNTIME" 2>/dev/null || echo aot >"$release.tmp/RUNTIME"
own_by_root "$release.tmp"
mv -T "$release.tmp" "$release"
previous=""
[ -L "$prefix/current" ] && previous="$(readlink -f "$prefix/current")"
# The release kept for a rollback may come from an install.sh that copied its owners; it is run as root too.
if [ -n "$previous" ] && [ -d "$previous" ]; then own_by_root "$previous"; fi
point() { ln -sfn "$2" "$1.new" && mv -T "$1.new" "$1"; }  # atomic: a rename, never a missing link
point "$prefix/current" "$release"
if [ -n "$previous" ] && [ "$previous" != "$release" ]; then point "$prefix/previous" "$previous"; fi
install -m 0755 "$source_dir/packaging/libexec/mizan-nginx-control" "$prefix/libexec/mizan-nginx-control"
install -m 0644 "$source_dir/README.md" "$prefix/README.md"
install -d -m 0755 "$prefix/docs" && install -m 0644 "$source_dir"/docs/*.md "$prefix/docs/"
[ -f "$source_dir/packaging/agent.example.json" ] && install -m 0644 "$source_dir/packaging/agent.example.json" "$prefix/agent.example.json"
ln -sfn "$prefix/current/mizanctl" /usr/local/bin/mizanctl
ln -sfn "$prefix/current/mizan-agent" /usr/local/bin/mizan-agent
for unit in "${units[@]}"; do install -m 0644 "$source_dir/systemd/$unit" "$unit_dir/$unit"; done
say "installed $version into $release"


thumbprint="$(runuser -u "$user" -g "$group" -- "$prefix/current/mizan-agent" cert show --config "$config_dir/agent.json" 2>&1)" ||
  thumbprint="(not available: $thumbprint)"

next_steps() {
  cat <<TEXT

Server certificate SHA-256 thumbprint (CI pins it as MIZAN_AGENT_THUMBPRINT): $thumbprint

Next steps:
  1. Declare your apps in $config_dir/agent.json, include $nginx_include_dir/*.conf in nginx's http block,
     then: systemctl reload mizan-agent   (or restart, for new apps; the journal says which)
  2. On this server: mizanctl status        (root and members of the group $group may call the agent)
  3. For CI: mizanctl cert new --name ci-github, trust its thumbprint under Security:Clients, reload, and use
     packaging/github-action ($prefix/docs/operations.md, "CI set-up with the action")
  Logs: journalctl -u mizan-agent    Upgrade: run this script again    Remove: $0 --uninstall [--purge]
TEXT
}

if $no_start; then
  $systemd_running && runtime_dropin "$release"
  say "not started (--no-start). Start it with: systemctl enable --now mizan-nginx-control.socket mizan-agent"
  next_steps
  exit 0
fi

# ---- start, and put the previous release back if the new one does not become ready --------------------------------
runtime_dropin "$release"
systemctl enable --quiet mizan-nginx-control.socket mizan-agent.service
systemctl start mizan-nginx-control.socket
started=$(date +%s%N)
# Type=notify: restart returns once the agent said READY=1 (gRPC serving), or fails.
if systemctl restart mizan-agent.service && systemctl is-active --quiet mizan-agent.service; then
  say "mizan-agent is active ($version), ready after $(( ($(date +%s%N) - started) / 1000000 )) ms"
  # Only the current and the previous release are kept (pruned only now, so a failed upgrade loses nothing).
  for old in "$prefix"/releases/*; do
    [ "$old" = "$release" ] || [ "$old" = "$previous" ] || rm -rf "$old"
  done
  next_steps
  exit 0
fi

echo "install.sh: the new agent did not become ready; its last journal lines:" >&2
journalctl -u mizan-agent.service --since "@$((started / 1000000000))" -n 15 --no-pager -o cat >&2 || true
if [ -n "$previous" ] && [ "$previous" != "$release" ] && [ -x "$previous/mizan-agent" ]; then
  point "$prefix/current" "$previous"
  rm -f "$prefix/previous"
  rm -rf "$release"
  runtime_dropin "$previous"
  systemctl reset-failed mizan-agent.service || true
  if systemctl restart mizan-agent.service && systemctl is-active --quiet mizan-agent.service; then
    fail "upgrade to $version failed: the new agent did not become ready; the previous release $(basename "$previous") is back and running" 1
  fi
  fail "upgrade to $version failed, and the previous release $(basename "$previous") did not start either: see journalctl -u mizan-agent" 1
fi
fail "mizan-agent did not become ready: see journalctl -u mizan-agent (configuration: $config_dir/agent.json)" 1
