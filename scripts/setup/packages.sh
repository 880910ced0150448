# Host packages: Debian's Docker engine, its registry, and debootstrap. Sourced.

# command → Debian package providing it.
declare -A SETUP_HOST_PACKAGES=(
  [dockerd]=docker.io
  [docker]=docker.io
  [docker-registry]=docker-registry
  [debootstrap]=debootstrap
  [curl]=curl
)

missing_host_packages() {
  local cmd
  for cmd in "${!SETUP_HOST_PACKAGES[@]}"; do
    have "$cmd" || printf '%s\n' "${SETUP_HOST_PACKAGES[$cmd]}"
  done | sort -u
}

# Installs only what is missing; `apt-get update` runs only when something is installed.
ensure_host_packages() {
  local -a missing
  mapfile -t missing < <(missing_host_packages)
  ((${#missing[@]} == 0)) && return 0
  log "installing ${missing[*]} (apt-get)"
  # Keep package scripts from starting services: this script starts dockerd and the
  # registry itself, with its own logs and config.
  local policy=/usr/sbin/policy-rc.d created_policy=0
  if [[ ! -e $policy ]]; then
    printf '#!/bin/sh\nexit 101\n' >"$policy" && chmod 755 "$policy" && created_policy=1
  fi
  local rc=0
  {
    apt-get update -q &&
      DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}"
  } </dev/null >/var/log/restager-apt.log 2>&1 || rc=$?
  ((created_policy)) && rm -f "$policy"
  ((rc == 0)) || fail "apt-get install ${missing[*]} failed (exit $rc)" /var/log/restager-apt.log
  hash -r
}
