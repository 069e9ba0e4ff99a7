#!/usr/bin/env bash
# The Temporal dev server (CLI v1.5.1, built by scripts/setup.sh) for `npm start`, persisted to a SQLite file so
# plans survive a restart of the machine's processes.
#
#   scripts/temporal.sh start   start in the background unless already listening; wait until it answers
#   scripts/temporal.sh stop    stop the server started by `start`
#
# gRPC on 127.0.0.1:${COREWATCH_TEMPORAL_PORT:-7233}, web UI on http://127.0.0.1:${COREWATCH_TEMPORAL_UI_PORT:-8233}.
set -euo pipefail
LOG_TAG=temporal
# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

PORT="${COREWATCH_TEMPORAL_PORT:-7233}"
UI_PORT="${COREWATCH_TEMPORAL_UI_PORT:-8233}"
BIN="$TOOLS/bin/temporal"
PIDFILE="$STATE/temporal.pid"

listening() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

case "${1:-}" in
  start)
    mkdir -p "$STATE"
    if listening "$PORT"; then log "already listening on 127.0.0.1:$PORT"; exit 0; fi
    [ -x "$BIN" ] || die "$BIN not found: run scripts/setup.sh"
    log "starting dev server (history in $STATE/temporal.db, log in $STATE/temporal.log)"
    nohup "$BIN" server start-dev --ip 127.0.0.1 --port "$PORT" --ui-port "$UI_PORT" \
      --db-filename "$STATE/temporal.db" --log-level warn >"$STATE/temporal.log" 2>&1 &
    echo $! >"$PIDFILE"
    # A cold start on a busy two-core machine can take a while: wait up to 60 s, not the SDK's 5.
    for _ in $(seq 1 600); do
      if listening "$PORT" && "$BIN" operator cluster health --address "127.0.0.1:$PORT" >/dev/null 2>&1; then
        log "ready on 127.0.0.1:$PORT, UI http://127.0.0.1:$UI_PORT"
        exit 0
      fi
      kill -0 "$(cat "$PIDFILE")" 2>/dev/null || die "dev server exited; see $STATE/temporal.log"
      sleep 0.1
    done
    die "dev server did not become ready in 60 s; see $STATE/temporal.log"
    ;;
  stop)
    if [ -f "$PIDFILE" ] && kill -0 "$(cat "$PIDFILE")" 2>/dev/null; then
      kill "$(cat "$PIDFILE")" && log "stopped"
    else
      log "not running"
    fi
    rm -f "$PIDFILE"
    ;;
  *) die "usage: scripts/temporal.sh start|stop" ;;
esac
