#!/usr/bin/env bash
# Installs what a fresh machine lacks to build, test and run corewatch. Idempotent: on a machine that already has
# everything it only checks, and prints one line per step saying what it did.
#
#   1. node_modules       npm install --no-save (locked versions), when node_modules is missing or stale
#   2. postgresql         apt-get install postgresql, when no /usr/lib/postgresql/*/bin/{initdb,pg_ctl}
#   3. temporal CLI       go install github.com/temporalio/cli/cmd/temporal@v1.5.1 into $TOOLS/bin
#   4. test server jars   mvn dependency:copy-dependencies (Temporal's Java time-skipping test server)
#   5. prisma client      prisma generate (offline) into prisma/generated, when the schema changed
#   6. openpyxl           python3 -m pip install openpyxl (the independent .xlsx reader the workbook tests use)
#   7. chromium           apt-get install chromium (Debian's; the dashboard tests drive it with playwright-core)
#   8. schemathesis       pip install into a venv (PyPI, exact versions: test/fuzz/requirements.txt): the fuzzer
set -euo pipefail
LOG_TAG=setup
# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$REPO"

TEMPORAL_CLI_VERSION=1.5.1

# 1. Node dependencies. npm records what it installed in node_modules/.package-lock.json; when the lockfile is newer
# the tree is stale. `npm install --no-save` rather than `npm ci`: this workplace's npm config writes lockfiles without
# registry addresses (omit-lockfile-registry-resolved), and such a lockfile lacks other platforms' optional packages,
# which `npm ci` then refuses as "out of sync"; `npm install` still installs exactly the locked versions.
# npm 11 does not run dependency install scripts unless approved; none are needed (native parts ship as packages).
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  log "node_modules: missing or older than package-lock.json, running npm install (locked versions)"
  npm install --no-save --no-audit --no-fund --loglevel=error
  log "node_modules: installed"
else
  log "node_modules: up to date"
fi

# 2. PostgreSQL server binaries (scripts/postgres.sh runs a private cluster with them).
ensure_postgres_installed

# 3. Temporal CLI (the dev server used by `npm start` and the integration tests), built from its Go module. A plain
# `go install` reports version 0.0.0-DEV, so the version is stamped with -ldflags as the release build does, and the
# module version recorded in the binary's build info is accepted too. A lock keeps concurrent runs from building twice.
temporal_is_current() {
  local bin="$TOOLS/bin/temporal"
  [ -x "$bin" ] || return 1
  "$bin" --version 2>/dev/null | grep -q "version $TEMPORAL_CLI_VERSION" && return 0
  command -v go >/dev/null 2>&1 &&
    go version -m "$bin" 2>/dev/null | grep -Eq "^[[:space:]]+mod[[:space:]]+github.com/temporalio/cli[[:space:]]+v$TEMPORAL_CLI_VERSION[[:space:]]"
}
if temporal_is_current; then
  log "temporal: $TOOLS/bin/temporal is v$TEMPORAL_CLI_VERSION"
else
  command -v go >/dev/null 2>&1 || die "temporal: Go is required to build the Temporal CLI (go install)"
  mkdir -p "$TOOLS/bin"
  exec 9>"$TOOLS/.temporal-build.lock"
  if ! flock -n 9; then
    log "temporal: another build holds $TOOLS/.temporal-build.lock, waiting for it"
    flock 9
  fi
  if temporal_is_current; then
    log "temporal: built by a concurrent run, $TOOLS/bin/temporal is v$TEMPORAL_CLI_VERSION"
  else
    log "temporal: building v$TEMPORAL_CLI_VERSION with go install (several minutes the first time)"
    GOBIN="$TOOLS/bin" go install \
      -ldflags "-X github.com/temporalio/cli/temporalcli.Version=$TEMPORAL_CLI_VERSION" \
      "github.com/temporalio/cli/cmd/temporal@v$TEMPORAL_CLI_VERSION"
    log "temporal: installed $("$TOOLS/bin/temporal" --version)"
  fi
  flock -u 9
  exec 9>&-
fi

# 4. Temporal's Java time-skipping test server, fetched from Maven Central into target/dependency.
if compgen -G "scripts/temporal-test-server/target/dependency/temporal-test-server-*.jar" >/dev/null; then
  log "temporal-test-server: jars present in scripts/temporal-test-server/target/dependency"
else
  command -v mvn >/dev/null 2>&1 || die "temporal-test-server: Maven (mvn) is required to fetch the jars"
  log "temporal-test-server: fetching jars with mvn dependency:copy-dependencies"
  mvn -q -B -f scripts/temporal-test-server/pom.xml dependency:copy-dependencies
  log "temporal-test-server: fetched"
fi

# 5. Prisma client (prisma/generated, gitignored), regenerated when the schema or the installed packages are newer.
if [ -f prisma/generated/client.ts ] && [ prisma/generated/client.ts -nt prisma/schema.prisma ] &&
  [ prisma/generated/client.ts -nt node_modules/.package-lock.json ]; then
  log "prisma: client in prisma/generated is up to date"
else
  if ! out="$(npx prisma generate 2>&1)"; then
    printf '%s\n' "$out" >&2
    die "prisma: generate failed"
  fi
  log "prisma: client generated in prisma/generated"
fi

# 6. openpyxl, the independent reader test/reports/workbook.test.ts checks the audit workbook with (through
# test/support/read-xlsx.py): a different library from the one that writes it, so the test does not grade its own work.
OPENPYXL_VERSION=3.1.5
if python3 -c 'import openpyxl' >/dev/null 2>&1; then
  log "openpyxl: python3 has openpyxl $(python3 -c 'import openpyxl; print(openpyxl.__version__)')"
else
  command -v python3 >/dev/null 2>&1 || die "openpyxl: python3 is required (the workbook tests read .xlsx files with openpyxl)"
  log "openpyxl: not found, installing openpyxl==$OPENPYXL_VERSION with pip"
  python3 -m pip install --quiet "openpyxl==$OPENPYXL_VERSION" || die "openpyxl: pip install failed"
  log "openpyxl: installed $(python3 -c 'import openpyxl; print(openpyxl.__version__)')"
fi

# 7. Chromium, the real headless browser the dashboard tests drive through playwright-core (which bundles no browser).
if command -v chromium >/dev/null 2>&1; then
  log "chromium: $(command -v chromium) present"
else
  log "chromium: not found, installing Debian's chromium with apt-get"
  apt-get update -qq || die "chromium: apt-get update failed"
  apt-get install -y -qq chromium || die "chromium: apt-get install failed"
  log "chromium: installed $(command -v chromium)"
fi

# 8. schemathesis, the schema-driven fuzzer `npm run test:fuzz` runs (test/fuzz/run.ts), with every package it pulls in
# pinned in test/fuzz/requirements.txt. In a virtual environment of its own under $TOOLS, so its two dozen packages
# never meet the system Python's (openpyxl above); it needs Python 3.11 or later. Reinstalled when the pins change.
FUZZ_VENV="$TOOLS/schemathesis"
FUZZ_PINS="$(sha256sum test/fuzz/requirements.txt | cut -c1-16)"
if [ -x "$FUZZ_VENV/bin/schemathesis" ] && [ "$(cat "$FUZZ_VENV/.pins" 2>/dev/null)" = "$FUZZ_PINS" ]; then
  log "schemathesis: $("$FUZZ_VENV/bin/schemathesis" --version) in $FUZZ_VENV"
else
  command -v python3 >/dev/null 2>&1 || die "schemathesis: python3 (3.11 or later) is required"
  python3 -c 'import sys; sys.exit(sys.version_info < (3, 11))' ||
    die "schemathesis: needs Python 3.11 or later, found $(python3 --version 2>&1)"
  mkdir -p "$TOOLS"
  # $TOOLS is shared by checkouts on this machine: one install at a time.
  exec 8>"$TOOLS/.schemathesis-install.lock"
  flock 8
  if [ "$(cat "$FUZZ_VENV/.pins" 2>/dev/null)" = "$FUZZ_PINS" ]; then
    log "schemathesis: installed by a concurrent run in $FUZZ_VENV"
  else
    log "schemathesis: installing test/fuzz/requirements.txt into $FUZZ_VENV"
    rm -rf "$FUZZ_VENV"
    python3 -m venv "$FUZZ_VENV" || die "schemathesis: python3 -m venv failed (Debian: apt-get install python3-venv)"
    # --no-deps: exactly the pinned set; pip check then proves the set complete and consistent.
    "$FUZZ_VENV/bin/python" -m pip install --quiet --disable-pip-version-check --no-deps \
      -r test/fuzz/requirements.txt || die "schemathesis: pip install failed"
    "$FUZZ_VENV/bin/python" -m pip check --disable-pip-version-check >/dev/null ||
      die "schemathesis: test/fuzz/requirements.txt is incomplete or inconsistent (pip check)"
    printf '%s\n' "$FUZZ_PINS" >"$FUZZ_VENV/.pins"
    log "schemathesis: installed $("$FUZZ_VENV/bin/schemathesis" --version)"
  fi
  flock -u 8
  exec 8>&-
fi
