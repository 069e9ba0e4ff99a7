#!/usr/bin/env bash
# Stops what `npm start` left running: the API/dashboard server, the mail catcher, the Temporal dev server and PostgreSQL. State is kept.
set -uo pipefail
LOG_TAG=stop
# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
if [ -f "$STATE/serve.pid" ]; then kill "$(cat "$STATE/serve.pid")" 2>/dev/null && log "serve (API and dashboard) stopped"; rm -f "$STATE/serve.pid"; fi
if [ -f "$STATE/mail-catcher.pid" ]; then kill "$(cat "$STATE/mail-catcher.pid")" 2>/dev/null && log "mail catcher stopped"; rm -f "$STATE/mail-catcher.pid"; fi
bash "$REPO/scripts/temporal.sh" stop
bash "$REPO/scripts/postgres.sh" stop
