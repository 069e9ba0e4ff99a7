#!/usr/bin/env bash
# npm run test:faults: the fault suite (test/faults/, jest.faults.config.js). Real processes killed and restarted, real
# outages: the worker SIGKILLed during a burst of 1,000 plans, SMTP refusing connections, PostgreSQL and the Temporal
# server stopped and started, a worker version with a changed rule deployed mid-plan. Each scenario prints its counts
# (sent, received, duplicated, lost, and what it measured); the table of all of them closes the run. About 10
# minutes on two cores; CI runs it after the main suite (.ci/run). Arguments go to jest (a file, -t NAME).
set -euo pipefail
LOG_TAG=faults
# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$REPO"

bash scripts/setup.sh
mkdir -p "$STATE/faults"
results="$STATE/faults/results.jsonl"
rm -f "$results"
status=0
npx jest -c jest.faults.config.js --ci --runInBand "$@" || status=$?
if [ -f "$results" ]; then
  node -e '
    const lines = require("fs").readFileSync(process.argv[1], "utf8").trim().split("\n").map((l) => JSON.parse(l));
    console.log("\n[faults] the scenarios counts");
    for (const { scenario, at, ...figures } of lines) {
      console.log(`\n${scenario}`);
      for (const [k, v] of Object.entries(figures)) console.log(`  ${k}: ${v}`);
    }
  ' "$results"
fi
[ "$status" -eq 0 ] && log "fault suite passed" || log "fault suite failed"
exit "$status"
