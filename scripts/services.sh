#!/usr/bin/env bash
# Starts the PostgreSQL and Redis the store and counter tests run against, installing them when missing.
# Idempotent: running it again on a machine where both already answer changes nothing.
# Prints the connection strings the tests read, and nothing else, on stdout: `eval "$(scripts/services.sh)"`.
set -euo pipefail

# Everything the tools say (pg_ctlcluster prints "Removed stale pid file." on stdout, apt talks too)
# goes to stderr; only the export lines below reach the caller's eval, through fd 3.
exec 3>&1 1>&2

PG_VERSION="${GATEHOUSE_PG_VERSION:-15}"
PG_USER=gatehouse
PG_PASSWORD=gatehouse
PG_DB=gatehouse_test
REDIS_PORT=6379

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo -n "$@"; fi
}

log() { [ "${1:-}" = "" ] || echo "services: $*" >&2; }

install_missing() {
  local missing=()
  command -v pg_ctlcluster >/dev/null 2>&1 || missing+=(postgresql)
  command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
  if [ "${#missing[@]}" -gt 0 ]; then
    log "installing ${missing[*]}"
    as_root apt-get update -qq >/dev/null
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  fi
}

start_postgres() {
  if ! pg_lsclusters -h 2>/dev/null | awk -v v="$PG_VERSION" '$1 == v && $2 == "main"' | grep -q .; then
    # A version other than the one named may be what apt installed: take the first cluster there is.
    PG_VERSION=$(pg_lsclusters -h | awk 'NR == 1 { print $1 }')
    if [ -z "$PG_VERSION" ]; then
      log "no PostgreSQL cluster found"
      exit 1
    fi
  fi

  if ! pg_lsclusters -h | awk -v v="$PG_VERSION" '$1 == v && $2 == "main" { print $4 }' | grep -q online; then
    log "starting PostgreSQL $PG_VERSION"
    as_root pg_ctlcluster "$PG_VERSION" main start
  fi

  for _ in $(seq 1 60); do
    if as_root runuser -u postgres -- pg_isready -q -h 127.0.0.1 -p 5432; then
      return 0
    fi
    sleep 0.5
  done
  log "PostgreSQL did not answer within 30 s"
  exit 1
}

psql_admin() {
  as_root runuser -u postgres -- psql -v ON_ERROR_STOP=1 -qtA -h /var/run/postgresql "$@"
}

create_test_database() {
  if [ "$(psql_admin -c "SELECT 1 FROM pg_roles WHERE rolname = '$PG_USER'")" != "1" ]; then
    log "creating role $PG_USER"
    psql_admin -c "CREATE ROLE $PG_USER LOGIN PASSWORD '$PG_PASSWORD' CREATEDB"
  fi

  if [ "$(psql_admin -c "SELECT 1 FROM pg_database WHERE datname = '$PG_DB'")" != "1" ]; then
    log "creating database $PG_DB"
    psql_admin -c "CREATE DATABASE $PG_DB OWNER $PG_USER"
  fi
}

start_redis() {
  if ! redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping 2>/dev/null | grep -q PONG; then
    log "starting Redis on port $REDIS_PORT"
    redis-server --daemonize yes --bind 127.0.0.1 --port "$REDIS_PORT" --save '' --appendonly no \
      --logfile /tmp/gatehouse-redis.log >/dev/null
  fi

  for _ in $(seq 1 60); do
    if redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping 2>/dev/null | grep -q PONG; then
      return 0
    fi
    sleep 0.5
  done
  log "Redis did not answer within 30 s"
  exit 1
}

# The daemons started here must not inherit fd 3: a daemon holding the caller's pipe open would keep
# `$(scripts/services.sh)` waiting for end-of-file for ever.
{
  install_missing
  start_postgres
  create_test_database
  start_redis
} 3>&-

echo "export GATEHOUSE_TEST_POSTGRES=postgres://$PG_USER:$PG_PASSWORD@127.0.0.1:5432/$PG_DB" >&3
echo "export GATEHOUSE_TEST_REDIS=127.0.0.1:$REDIS_PORT" >&3
