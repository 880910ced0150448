# The Docker engine: detect it, or start dockerd in the background. Sourced.
#
# Overridable for testing the start path against a second, throw-away daemon:
#   DOCKER_HOST                  where `docker` looks (the docker CLI reads it)
#   RESTAGER_DOCKERD_PIDFILE     default /var/run/docker.pid
#   RESTAGER_DOCKERD_LOG         default /var/log/restager-dockerd.log
#   RESTAGER_DOCKERD_ARGS        extra dockerd arguments (word-split)
#   RESTAGER_DOCKERD_WAIT_S      how long to wait for `docker info`, default 60

engine_answers() { timeout 10 docker info >/dev/null 2>&1; }

engine_version() { timeout 10 docker version --format '{{.Server.Version}}' 2>/dev/null; }

# Starts dockerd unless it answers already. Leaves a running daemon alone; removes a
# pid file whose process is gone (dockerd refuses to start while it exists).
ensure_engine() {
  if engine_answers; then
    log "docker engine is up ($(engine_version))"
    return 0
  fi
  local pidfile=${RESTAGER_DOCKERD_PIDFILE:-/var/run/docker.pid}
  local logfile=${RESTAGER_DOCKERD_LOG:-/var/log/restager-dockerd.log}
  local pid=""
  [[ -f $pidfile ]] && pid=$(<"$pidfile")
  if [[ -n $pid ]] && pid_runs "$pid" dockerd; then
    log "dockerd (pid $pid) is running but not answering yet; waiting"
  else
    if [[ -f $pidfile ]]; then
      log "removing stale $pidfile (pid ${pid:-none} is not running)"
      rm -f "$pidfile"
    fi
    log "starting dockerd (log: $logfile)"
    # shellcheck disable=SC2086 # RESTAGER_DOCKERD_ARGS is a word list on purpose
    spawn_daemon "$logfile" dockerd --pidfile "$pidfile" ${RESTAGER_DOCKERD_ARGS:-}
    pid=$!
  fi
  wait_for_engine "$pid" "$logfile"
}

wait_for_engine() {
  local pid=$1 logfile=$2
  local deadline=$((SECONDS + ${RESTAGER_DOCKERD_WAIT_S:-60}))
  until engine_answers; do
    if ! kill -0 "$pid" 2>/dev/null; then
      fail "dockerd exited before answering" "$logfile"
    fi
    if ((SECONDS >= deadline)); then
      fail "dockerd did not answer \`docker info\` within ${RESTAGER_DOCKERD_WAIT_S:-60} s" "$logfile"
    fi
    sleep 0.5
  done
  log "docker engine is up ($(engine_version)), dockerd pid $pid"
}
