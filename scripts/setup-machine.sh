#!/usr/bin/env bash
# Prepares a Debian bookworm machine (as root, non-interactive) for restager's docker and
# e2e test tiers: Docker engine, the stack image restager/stack:bookworm (also tagged
# restager/cflinuxfs{2,3,4}:latest) and, on request, a local registry on 127.0.0.1:5000.
# Idempotent: a second run only checks state and takes about a second.
#
# Usage: bash scripts/setup-machine.sh [--registry] [--stop-registry] [--check] [--help]
#   --registry       also start the local registry (same as RESTAGER_SETUP_REGISTRY=1)
#   --stop-registry  stop the registry this script started, then exit
#   --check          only report state; exit 0 when everything needed is ready
set -euo pipefail

SETUP_REPO_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
for part in common packages engine stack-image build-stack registry; do
  # shellcheck source=/dev/null
  source "$SETUP_REPO_ROOT/scripts/setup/$part.sh"
done

usage() { sed -n '2,11s/^# \{0,1\}//p' "${BASH_SOURCE[0]}"; }

mode=setup
want_registry=${RESTAGER_SETUP_REGISTRY:-0}
[[ $want_registry == 1 ]] || want_registry=0
for arg in "$@"; do
  case $arg in
    --registry) want_registry=1 ;;
    --stop-registry) mode=stop-registry ;;
    --check) mode=check ;;
    -h | --help) usage && exit 0 ;;
    *) usage >&2 && fail "unknown argument: $arg" ;;
  esac
done

# Reports readiness without changing anything; exit 0 only when all that is needed is there.
check_state() {
  local status=0 state
  if ! have dockerd || ! have debootstrap || ! have docker-registry; then
    log "host packages: missing ($(missing_host_packages | paste -sd' ' -))"
    status=1
  else
    log "host packages: present"
  fi
  if engine_answers; then
    log "engine: up ($(engine_version))"
    state=$(stack_image_state "$(stack_recipe_hash)")
    log "image: $STACK_IMAGE $state"
    [[ $state == ready ]] || status=1
  else
    log "engine: not answering"
    log "image: unknown (engine down)"
    status=1
  fi
  if registry_answers; then
    log "registry: up on $REGISTRY_ADDR"
  else
    log "registry: down$( ((want_registry == 0)) || echo ' (needed)')"
    ((want_registry == 0)) || status=1
  fi
  return "$status"
}

case $mode in
  check) check_state && log "ready" || fail "not ready: run bash scripts/setup-machine.sh" ;;
  stop-registry) stop_registry ;;
  setup)
    ((EUID == 0)) || fail "run as root (installs packages, starts dockerd, runs debootstrap)"
    started=$(now_ms)
    trap cleanup_build_dirs EXIT
    trap 'exit 130' INT
    trap 'exit 143' TERM
    # One setup at a time on a machine: two concurrent image builds would both import.
    mkdir -p /run/lock
    exec {SETUP_LOCK_FD}>/run/lock/restager-setup.lock
    flock -w 900 "$SETUP_LOCK_FD" || fail "another setup-machine.sh run holds /run/lock/restager-setup.lock"
    ensure_host_packages
    ensure_engine
    ensure_stack_image
    ((want_registry == 0)) || ensure_registry
    log "ready in $(($(now_ms) - started)) ms"
    ;;
esac
