#!/usr/bin/env bash
# README command 2: the whole test suite, on a fresh machine too (scripts/setup.sh installs what is missing).
#   1. type check (strict), 2. the static checks (scripts/check.sh: ESLint, Prettier, dependency-cruiser; one line
#   each), 3. every jest test, serially: pure domain and CLI tests, then activity, database and workflow tests against
#   real PostgreSQL, real Temporal servers and a real SMTP server on loopback.
#   4. the schema fuzzer (`npm run test:fuzz`, test/fuzz/run.ts: about 12,000 generated requests against the API and
#   the dashboard, some ten minutes here), when the whole suite runs: not when jest is given arguments (a file or a
#   pattern), nor with FUZZ=0.
# A failed static check fails the run, but jest still runs first so one run shows everything. CHECKS=report makes
# the static checks report only (for a branch landing before the code they judge is fixed; CI does not set it).
# Ends with a plain "N passed, N failed" line.
set -euo pipefail
LOG_TAG=test
# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$REPO"

bash scripts/setup.sh
log "type check"
npx tsc -p tsconfig.json --noEmit
log "static checks"
checks=0
bash scripts/check.sh || checks=$?

mkdir -p "$STATE"
results="$STATE/jest-results.json"
rm -f "$results"
status=0
# --runInBand: integration tests share one PostgreSQL cluster and a two-core machine; serial is faster and calmer.
npx jest --ci --runInBand --json --outputFile="$results" "$@" || status=$?
fuzz=skipped
if [ "$#" -eq 0 ] && [ "${FUZZ:-1}" != 0 ]; then
  log "schema fuzzer (npm run test:fuzz)"
  fuzz=passed
  bash scripts/fuzz.sh || fuzz=failed
fi
# Said before the closing "N passed, N failed" line, which stays the last line.
if [ "$checks" -ne 0 ]; then
  if [ "${CHECKS:-fail}" = report ]; then
    log "static checks failed (CHECKS=report: not failing the run)"
  else
    log "static checks failed: see the [check] lines above"
    [ "$status" -ne 0 ] || status=1
  fi
fi
if [ "$fuzz" = failed ]; then
  log "schema fuzzer failed: see the [fuzz] summary above"
  [ "$status" -ne 0 ] || status=1
elif [ "$fuzz" = skipped ]; then
  log "schema fuzzer not run (jest was given arguments, or FUZZ=0)"
fi
if [ -f "$results" ]; then
  node -e '
    const r = require(process.argv[1]);
    console.log(`${r.numPassedTests} passed, ${r.numFailedTests} failed` + (r.numPendingTests ? `, ${r.numPendingTests} skipped` : ""));
  ' "$results"
fi
exit "$status"
