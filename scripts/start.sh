#!/usr/bin/env bash
# README command 1: the whole system on embedded defaults, with demo data.
#   installs what is missing (scripts/setup.sh), starts PostgreSQL, the Temporal dev server (persisted to a file)
#   and a local mail catcher, seeds the demo plans, serves the API and dashboard in the background, then runs the worker in the foreground until Ctrl-C.
# PostgreSQL and Temporal keep running after Ctrl-C (their state persists); `npm run stop` stops them.
set -euo pipefail
LOG_TAG=start
# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$REPO"

bash scripts/setup.sh
bash scripts/postgres.sh start
bash scripts/temporal.sh start

SMTP_PORT="${SMTP_PORT:-2525}"
OUTBOX="$STATE/outbox"
if (exec 3<>"/dev/tcp/127.0.0.1/$SMTP_PORT") 2>/dev/null; then
  log "mail catcher: something already listens on 127.0.0.1:$SMTP_PORT, using it"
else
  nohup node cli/corewatch.js mail-catcher --port "$SMTP_PORT" --outbox "$OUTBOX" >"$STATE/mail-catcher.log" 2>&1 &
  echo $! >"$STATE/mail-catcher.pid"
  for _ in $(seq 1 100); do (exec 3<>"/dev/tcp/127.0.0.1/$SMTP_PORT") 2>/dev/null && break; sleep 0.1; done
  log "mail catcher: listening on 127.0.0.1:$SMTP_PORT, emails written to $OUTBOX"
fi

node cli/corewatch.js demo
# The read model and the trend: a state directory from an earlier version gets its obligations rebuilt (idempotent,
# seconds for the demo), and the last 12 complete months' figures are stored so the overview's trend has data.
node cli/corewatch.js obligations rebuild >/dev/null
node cli/corewatch.js figures backfill --from "$(TZ=Europe/London date -d "$(TZ=Europe/London date +%Y-%m-01) -12 months" +%Y-%m)" >/dev/null
log "read model rebuilt and 12 months of figures stored"

# The HTTP API and the dashboard (one process, one port), in the background like the mail catcher.
HTTP_PORT="${HTTP_PORT:-3000}"
if (exec 3<>"/dev/tcp/127.0.0.1/$HTTP_PORT") 2>/dev/null; then
  log "serve: something already listens on 127.0.0.1:$HTTP_PORT, leaving it"
else
  nohup node cli/corewatch.js serve >"$STATE/serve.log" 2>&1 &
  echo $! >"$STATE/serve.pid"
  for _ in $(seq 1 150); do (exec 3<>"/dev/tcp/127.0.0.1/$HTTP_PORT") 2>/dev/null && break; sleep 0.2; done
  log "serve: API and dashboard on http://127.0.0.1:$HTTP_PORT (log: $STATE/serve.log)"
fi

cat <<MSG

  corewatch is running on embedded defaults with demo data.
    Dashboard        http://127.0.0.1:${HTTP_PORT}   (sign in as a demo identity, one per role: demo only, not for real data)
    Temporal UI      http://127.0.0.1:${COREWATCH_TEMPORAL_UI_PORT:-8233}   (one workflow per plan: plan-<reference>)
    Emails sent      $OUTBOX/*.eml   (reminders and escalations, as a team manager would receive them)
    A plan's state   npx corewatch status CAM-DEMO-0001
    One case         npx corewatch evaluate FILE --as-of YYYY-MM-DD
  The worker runs below; Ctrl-C stops it. \`npm run stop\` stops PostgreSQL, Temporal and the mail catcher.

MSG
exec node cli/corewatch.js worker
