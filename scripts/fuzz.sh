#!/usr/bin/env bash
# `npm run test:fuzz`: schemathesis against the real app over a fresh, seeded database (test/fuzz/run.ts says what and
# how). Needs what scripts/setup.sh installs (schemathesis in $TOOLS/schemathesis) and the PostgreSQL cluster, which it
# starts. scripts/test.sh runs it after jest; on its own it is `npm run test:fuzz`.
set -euo pipefail
LOG_TAG=fuzz
# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$REPO"

export SCHEMATHESIS="${SCHEMATHESIS:-$TOOLS/schemathesis/bin/schemathesis}"
[ -x "$SCHEMATHESIS" ] || die "schemathesis not found at $SCHEMATHESIS: run scripts/setup.sh"
bash scripts/postgres.sh start
exec node --require tsx/cjs test/fuzz/run.ts
