#!/usr/bin/env bash
# A private PostgreSQL cluster for corewatch: development (`npm start`) and the integration tests.
#
#   scripts/postgres.sh start    initialise on first use, start, wait until ready, apply migrations (no-op if running)
#   scripts/postgres.sh stop     fast shutdown (no-op if stopped)
#   scripts/postgres.sh status   prints the state; exit 0 when running, 3 when not
#   scripts/postgres.sh url      prints the DATABASE_URL of the corewatch database
#
# Listens on 127.0.0.1:${COREWATCH_PG_PORT:-55432} only. Data in ${COREWATCH_STATE:-<repo>/.corewatch}/pgdata.
#
# PostgreSQL refuses to run as root, so as root every server command runs as the `postgres` OS user (created by the
# Debian package), which must own the data directory and be able to traverse every directory above it. When it can't
# (a checkout under /root, mode 700, for instance) the data directory moves to /var/tmp/corewatch-pg-<hash of the
# repo path (or of COREWATCH_STATE, when set to another directory)>/pgdata: still private to this checkout, and
# /var/tmp survives reboots, unlike /tmp.
#
# Authentication: over TCP the `corewatch` role logs in with password `corewatch` (scram-sha-256); the superuser
# `postgres` is reachable only through the Unix socket, in a directory only the postgres user can enter.
# Durability is traded for speed (fsync off): this is a development and test cluster, never production.
set -euo pipefail
LOG_TAG=postgres
# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

PORT="${COREWATCH_PG_PORT:-55432}"
DB_USER=corewatch
DB_PASSWORD=corewatch
DB_NAME=corewatch
URL="postgresql://$DB_USER:$DB_PASSWORD@127.0.0.1:$PORT/$DB_NAME"
REPO_HASH="$(printf '%s' "$REPO" | sha256sum | cut -c1-12)"
# The fallback data directory below is the checkout's; a cluster with a state directory of its own (the fault suite's,
# test/faults/support/postgres.ts) gets its own, so two clusters of one checkout never share one.
if [ "$STATE" = "$REPO/.corewatch" ]; then DATA_HASH="$REPO_HASH"; else DATA_HASH="$(printf '%s' "$STATE" | sha256sum | cut -c1-12)"; fi

if [ "$(id -u)" -eq 0 ]; then
  AS_PG=(runuser -u postgres --)
else
  AS_PG=() # not root: the server simply runs as the current user
fi
# Runs a command as the server's user, from / (the caller's directory may be closed to it, e.g. under /root).
as_pg() { (cd / && "${AS_PG[@]}" "$@"); }

# Where the cluster lives. Chosen without side effects so `status`/`url` work before the first start.
pick_data_dir() {
  local fallback="/var/tmp/corewatch-pg-$DATA_HASH/pgdata"
  if [ ${#AS_PG[@]} -eq 0 ]; then
    printf '%s\n' "$STATE/pgdata"
  elif [ -f "$fallback/PG_VERSION" ]; then
    printf '%s\n' "$fallback" # chosen on an earlier start
  elif id postgres >/dev/null 2>&1 && as_pg test -x "$(nearest_existing "$STATE")"; then
    printf '%s\n' "$STATE/pgdata"
  else
    printf '%s\n' "$fallback"
  fi
}
nearest_existing() {
  local dir="$1"
  while [ ! -d "$dir" ]; do dir="$(dirname "$dir")"; done
  printf '%s\n' "$dir"
}

resolve_paths() {
  PGDATA="$(pick_data_dir)"
  PGLOG="$(dirname "$PGDATA")/postgres.log"
}
resolve_paths
# Socket directory: short (sockets paths are limited to ~100 bytes) and private to this checkout.
SOCKDIR="/tmp/corewatch-pg-$REPO_HASH"

bindir() { pg_bindir || die "PostgreSQL server binaries not found under /usr/lib/postgresql/*/bin (run scripts/setup.sh)"; }

is_running() {
  [ -f "$PGDATA/PG_VERSION" ] || return 1
  as_pg "$(bindir)/pg_ctl" status -D "$PGDATA" >/dev/null 2>&1
}

superuser_psql() {
  as_pg "$(bindir)/psql" -X -q -v ON_ERROR_STOP=1 -h "$SOCKDIR" -p "$PORT" -U postgres -d postgres "$@"
}

init_cluster() {
  local bin="$1"
  (umask 022 && mkdir -p "$(dirname "$PGDATA")") # traversable by postgres
  if [ -d "$PGDATA" ] && [ ! -f "$PGDATA/PG_VERSION" ]; then
    log "removing incomplete data directory $PGDATA (no PG_VERSION: an interrupted initdb)"
    rm -rf "$PGDATA"
  fi
  mkdir -p "$PGDATA"
  if [ ${#AS_PG[@]} -gt 0 ]; then chown postgres:postgres "$PGDATA"; fi
  chmod 700 "$PGDATA"
  log "initialising a new cluster in $PGDATA"
  as_pg "$bin/initdb" -D "$PGDATA" -U postgres -E UTF8 --locale=C \
    --auth-local=trust --auth-host=scram-sha-256 >/dev/null
}

ensure_role_and_database() {
  superuser_psql <<SQL
DO \$\$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$DB_USER') THEN
    CREATE ROLE $DB_USER LOGIN CREATEDB PASSWORD '$DB_PASSWORD';
  END IF;
END
\$\$;
SELECT 'CREATE DATABASE $DB_NAME OWNER $DB_USER' WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = '$DB_NAME')
\gexec
SQL
}

start() {
  pg_bindir >/dev/null || ensure_postgres_installed
  resolve_paths # the install may just have created the postgres user
  local bin
  bin="$(bindir)"
  if is_running; then
    log "already running on 127.0.0.1:$PORT (data $PGDATA)"
    # A checkout updated while the cluster ran may bring new migrations: applying is idempotent and quick.
    (cd "$REPO" && DATABASE_URL="$URL" tsx scripts/migrate.ts)
    return 0
  fi
  if [ -f "$PGDATA/PG_VERSION" ]; then
    local have want
    have="$(cat "$PGDATA/PG_VERSION")"
    want="$(basename "$(dirname "$bin")")"
    [ "$have" = "$want" ] || die "$PGDATA was created by PostgreSQL $have but $bin is $want: remove it or install $have"
  else
    init_cluster "$bin"
  fi

  mkdir -p "$SOCKDIR"
  touch "$PGLOG"
  if [ ${#AS_PG[@]} -gt 0 ]; then chown postgres:postgres "$SOCKDIR" "$PGLOG"; fi
  chmod 700 "$SOCKDIR"
  log "starting on 127.0.0.1:$PORT (data $PGDATA, log $PGLOG)"
  if ! as_pg "$bin/pg_ctl" start -D "$PGDATA" -l "$PGLOG" -w -t 60 -s \
    -o "-p $PORT -c listen_addresses=127.0.0.1 -c unix_socket_directories=$SOCKDIR -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
    >/dev/null; then
    tail -n 20 "$PGLOG" >&2 || true
    die "PostgreSQL did not start (is port $PORT taken? see $PGLOG)"
  fi
  local tries=0
  until "$bin/pg_isready" -q -h 127.0.0.1 -p "$PORT"; do
    tries=$((tries + 1))
    [ "$tries" -lt 60 ] || die "PostgreSQL started but is not accepting connections on 127.0.0.1:$PORT"
    sleep 0.5
  done
  ensure_role_and_database
  log "applying migrations"
  (cd "$REPO" && DATABASE_URL="$URL" tsx scripts/migrate.ts)
  log "ready: $URL"
}

stop() {
  if ! is_running; then
    log "not running"
    return 0
  fi
  as_pg "$(bindir)/pg_ctl" stop -D "$PGDATA" -m fast -w -s
  log "stopped"
}

status() {
  if is_running; then
    log "running on 127.0.0.1:$PORT (data $PGDATA): $URL"
    return 0
  fi
  log "not running (data $PGDATA)"
  return 3
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) status ;;
  url) printf '%s\n' "$URL" ;;
  *)
    echo "usage: $0 start|stop|status|url" >&2
    exit 2
    ;;
esac
