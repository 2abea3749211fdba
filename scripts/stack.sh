#!/usr/bin/env bash
# Installs and starts the local stack digestpin is tested against (see ../shared/STACK.md):
# dockerd with the containerd image store, buildx, docker-registry, cosign, kustomize, git, skopeo, oras.
# Usage: scripts/stack.sh [install|start|stop|status|up]   (default: up = install + start)
# Safe to run twice: each step checks what is already there.
set -euo pipefail

STATE_DIR="${DIGESTPIN_STACK_DIR:-/tmp/digestpin-stack}"
REGISTRY_PORT="${DIGESTPIN_REGISTRY_PORT:-5000}"
log() { printf '[stack] %s\n' "$*" >&2; }

need_root() {
  if [ "$(id -u)" != 0 ]; then log "❌ $1 needs root (run as root or install the tools yourself)"; exit 1; fi
}

have_all() {
  command -v dockerd >/dev/null && command -v docker-registry >/dev/null && command -v cosign >/dev/null \
    && command -v kustomize >/dev/null && command -v htpasswd >/dev/null && command -v git >/dev/null && command -v openssl >/dev/null && command -v curl >/dev/null \
    && command -v skopeo >/dev/null && command -v oras >/dev/null \
    && [ -x /usr/libexec/docker/cli-plugins/docker-buildx ]
}

install() {
  if have_all; then log "✅ tools already installed"; return; fi
  need_root "installing packages"
  export DEBIAN_FRONTEND=noninteractive
  if ! grep -rqs 'Suites: trixie' /etc/apt/sources.list.d/; then
    local mirror
    mirror=$(awk '/^URIs:/ {print $2; exit}' /etc/apt/sources.list.d/debian.sources 2>/dev/null || true)
    if [ -z "$mirror" ]; then
      mirror=$(awk '$1=="deb" {print $2; exit}' /etc/apt/sources.list 2>/dev/null || true)
    fi
    [ -n "$mirror" ] || { log "❌ no Debian mirror URI found in /etc/apt/sources.list.d/debian.sources"; exit 1; }
    log "➡️ adding trixie at low priority (mirror from debian.sources)"
    printf 'Types: deb\nURIs: %s\nSuites: trixie\nComponents: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n' \
      "$mirror" >/etc/apt/sources.list.d/trixie.sources
    printf 'Package: *\nPin: release n=trixie\nPin-Priority: 100\n' >/etc/apt/preferences.d/trixie-low
  fi
  log "➡️ apt-get install (a few minutes on a new machine)"
  apt-get update -qq
  apt-get install -y -qq -t trixie docker.io containerd docker-buildx cosign kustomize >/dev/null
  apt-get install -y -qq docker-registry apache2-utils git openssl curl skopeo oras >/dev/null
  log "✅ tools installed"
}

docker_ok() { docker info >/dev/null 2>&1; }

start_dockerd() {
  if docker_ok; then log "✅ dockerd already running"; return; fi
  need_root "starting dockerd"
  mkdir -p /etc/docker "$STATE_DIR"
  if ! grep -qs containerd-snapshotter /etc/docker/daemon.json; then
    echo '{"features":{"containerd-snapshotter":true}}' >/etc/docker/daemon.json
  fi
  log "➡️ starting dockerd (log: $STATE_DIR/dockerd.log)"
  nohup setsid dockerd >"$STATE_DIR/dockerd.log" 2>&1 &
  echo $! >"$STATE_DIR/dockerd.pid"
  for _ in $(seq 1 60); do docker_ok && break; sleep 1; done
  docker_ok || { log "❌ dockerd did not start; see $STATE_DIR/dockerd.log"; tail -20 "$STATE_DIR/dockerd.log" >&2; exit 1; }
  log "✅ dockerd ready"
}

registry_ok() { curl -fs -o /dev/null "http://127.0.0.1:$REGISTRY_PORT/v2/"; }

start_registry() {
  if registry_ok; then log "✅ registry already on 127.0.0.1:$REGISTRY_PORT"; return; fi
  mkdir -p "$STATE_DIR/registry-data"
  cat >"$STATE_DIR/registry.yml" <<YML
version: 0.1
log: {level: warn}
storage:
  filesystem: {rootdirectory: $STATE_DIR/registry-data}
  delete: {enabled: true}
http:
  addr: 127.0.0.1:$REGISTRY_PORT
YML
  log "➡️ starting docker-registry on 127.0.0.1:$REGISTRY_PORT"
  nohup setsid docker-registry serve "$STATE_DIR/registry.yml" >"$STATE_DIR/registry.log" 2>&1 &
  echo $! >"$STATE_DIR/registry.pid"
  for _ in $(seq 1 30); do registry_ok && break; sleep 0.5; done
  registry_ok || { log "❌ registry did not start; see $STATE_DIR/registry.log"; exit 1; }
  log "✅ registry ready"
}

start() { start_dockerd; start_registry; docker buildx version >/dev/null && log "✅ buildx $(docker buildx version | awk '{print $2}')"; }

stop_pid() {
  local f="$STATE_DIR/$1.pid"
  if [ -f "$f" ] && kill -0 "$(cat "$f")" 2>/dev/null; then
    kill "$(cat "$f")" && log "✅ stopped $1"
  fi
  rm -f "$f"
}

stop() { stop_pid registry; stop_pid dockerd; }

status() {
  docker_ok && log "dockerd: running" || log "dockerd: stopped"
  registry_ok && log "registry 127.0.0.1:$REGISTRY_PORT: running" || log "registry: stopped"
}

case "${1:-up}" in
  install) install ;;
  start) start ;;
  up) install; start ;;
  stop) stop ;;
  status) status ;;
  *) log "usage: $0 [install|start|stop|status|up]"; exit 2 ;;
esac
