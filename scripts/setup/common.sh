# Shared helpers for scripts/setup-machine.sh. Sourced, never run directly.

# Progress lines go to stderr so that callers can capture data printed on stdout.
log() { printf 'setup: %s\n' "$*" >&2; }

# Prints the message and, when given, the tail of a log file, then exits non-zero.
fail() {
  local message=$1 logfile=${2:-}
  printf 'setup: ERROR: %s\n' "$message" >&2
  if [[ -n $logfile && -f $logfile ]]; then
    printf 'setup: last lines of %s:\n' "$logfile" >&2
    tail -n 25 "$logfile" | sed 's/^/setup:   /' >&2
  fi
  exit 1
}

have() { command -v "$1" >/dev/null 2>&1; }

# Milliseconds since the epoch, for the timings printed at the end.
now_ms() { date +%s%3N; }

# True when PID is alive and its command line contains NEEDLE (guards against reused PIDs).
pid_runs() {
  local pid=$1 needle=$2
  [[ $pid =~ ^[0-9]+$ ]] && kill -0 "$pid" 2>/dev/null &&
    tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q -- "$needle"
}

# The fd that holds /run/lock/restager-setup.lock while setup runs; setup-machine.sh
# replaces it with the number bash allocates.
SETUP_LOCK_FD=9

# Starts a daemon that outlives this script: own session, output appended to LOGFILE, no
# stdin, and without the setup lock fd (a daemon holding it would block every later run).
# The daemon's PID is left in $!.
spawn_daemon() {
  local logfile=$1
  shift
  setsid nohup "$@" >>"$logfile" 2>&1 </dev/null {SETUP_LOCK_FD}>&- &
}
