# Shared helpers for corewatch's shell scripts. Source it; do not run it.
#
#   REPO     the repository root (this file lives in <repo>/scripts)
#   TOOLS    ${COREWATCH_TOOLS:-$HOME/.cache/corewatch}: tools built outside the repo (Temporal CLI)
#   STATE    ${COREWATCH_STATE:-<repo>/.corewatch}: local runtime state (gitignored)

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TOOLS="${COREWATCH_TOOLS:-$HOME/.cache/corewatch}"
STATE="${COREWATCH_STATE:-$REPO/.corewatch}"
case "$STATE" in /*) ;; *) STATE="$PWD/$STATE" ;; esac
export PATH="$REPO/node_modules/.bin:$PATH"

# `prisma generate` asks for the native schema engine (downloaded from binaries.prisma.sh, unreachable here) even
# though it never uses it; any existing file satisfies the check. Migrations are applied by scripts/migrate.ts.
export PRISMA_SCHEMA_ENGINE_BINARY="${PRISMA_SCHEMA_ENGINE_BINARY:-$(type -P true)}"

log() { printf '[%s] %s\n' "${LOG_TAG:-corewatch}" "$*"; }
die() { printf '[%s] error: %s\n' "${LOG_TAG:-corewatch}" "$*" >&2; exit 1; }

# The newest PostgreSQL server binaries directory (/usr/lib/postgresql/<v>/bin) holding initdb and pg_ctl, or nothing.
pg_bindir() {
  local dir best="" best_v=0 v
  for dir in /usr/lib/postgresql/*/bin; do
    [ -x "$dir/initdb" ] && [ -x "$dir/pg_ctl" ] || continue
    v="$(basename "$(dirname "$dir")")"
    v="${v%%.*}"
    if [ "${v:-0}" -gt "$best_v" ] 2>/dev/null; then best="$dir"; best_v="$v"; fi
  done
  [ -n "$best" ] && printf '%s\n' "$best"
}

# Installs the PostgreSQL server from Debian when no server binaries are present. Prints what it did.
ensure_postgres_installed() {
  local dir
  if dir="$(pg_bindir)"; then
    log "postgresql: found $dir"
    return 0
  fi
  [ "$(id -u)" -eq 0 ] || die "PostgreSQL server binaries not found and not root: install the 'postgresql' package"
  log "postgresql: not found, installing with apt-get (postgresql)"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null || die "apt-get update failed"
  apt-get install -y -qq postgresql >/dev/null || die "apt-get install postgresql failed"
  dir="$(pg_bindir)" || die "postgresql installed but no initdb/pg_ctl under /usr/lib/postgresql/*/bin"
  log "postgresql: installed $dir"
}
