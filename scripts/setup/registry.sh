# A local image registry (Debian's docker-registry) on 127.0.0.1:5000 for push tests.
# Sourced. Pushing to localhost:5000/... needs no insecure-registry setting.

REGISTRY_ADDR=${RESTAGER_REGISTRY_ADDR:-127.0.0.1:5000}
REGISTRY_DIR=/var/lib/restager-registry
REGISTRY_PIDFILE=/var/run/restager-registry.pid
REGISTRY_LOG=/var/log/restager-registry.log

registry_answers() { curl -fsS --max-time 2 -o /dev/null "http://$REGISTRY_ADDR/v2/" 2>/dev/null; }

write_registry_config() {
  mkdir -p "$REGISTRY_DIR/data"
  cat >"$REGISTRY_DIR/config.yml" <<YAML
# Written by scripts/setup-machine.sh; rewritten on every start.
version: 0.1
log:
  level: info
storage:
  filesystem:
    rootdirectory: $REGISTRY_DIR/data
  delete:
    enabled: true
http:
  addr: $REGISTRY_ADDR
YAML
}

ensure_registry() {
  if registry_answers; then
    log "registry answers on http://$REGISTRY_ADDR/v2/"
    return 0
  fi
  write_registry_config
  log "starting docker-registry on $REGISTRY_ADDR (log: $REGISTRY_LOG)"
  spawn_daemon "$REGISTRY_LOG" docker-registry serve "$REGISTRY_DIR/config.yml"
  local pid=$! deadline=$((SECONDS + 30))
  echo "$pid" >"$REGISTRY_PIDFILE"
  until registry_answers; do
    kill -0 "$pid" 2>/dev/null || fail "docker-registry exited before answering" "$REGISTRY_LOG"
    ((SECONDS < deadline)) || fail "docker-registry did not answer within 30 s" "$REGISTRY_LOG"
    sleep 0.2
  done
  log "registry answers on http://$REGISTRY_ADDR/v2/ (pid $pid)"
}

# Stops only the registry this script started (the pid file), never another one.
stop_registry() {
  local pid=""
  [[ -f $REGISTRY_PIDFILE ]] && pid=$(<"$REGISTRY_PIDFILE")
  if [[ -z $pid ]] || ! pid_runs "$pid" docker-registry; then
    rm -f "$REGISTRY_PIDFILE"
    if registry_answers; then
      log "a registry answers on $REGISTRY_ADDR but was not started by this script; leaving it"
    else
      log "registry is not running"
    fi
    return 0
  fi
  log "stopping docker-registry (pid $pid)"
  kill -TERM "$pid"
  local deadline=$((SECONDS + 10))
  while kill -0 "$pid" 2>/dev/null && ((SECONDS < deadline)); do sleep 0.2; done
  kill -0 "$pid" 2>/dev/null && kill -KILL "$pid"
  rm -f "$REGISTRY_PIDFILE"
  log "registry stopped"
}
