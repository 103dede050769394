#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for the server tests: initdb in a temporary directory, trust
# authentication, listening on 127.0.0.1 at a free port (its unix socket in the same directory),
# no fsync. Nothing of the system's own clusters is used or touched.
#
#   scripts/test-postgres.sh run CMD...   start a new cluster, run CMD with SCREENING_TEST_POSTGRES
#                                         set to its URL, stop and delete the cluster (also when
#                                         CMD fails); exits with CMD's status. When
#                                         SCREENING_TEST_POSTGRES is set already, just runs CMD.
#   scripts/test-postgres.sh start        start the cluster in $SCREENING_TEST_POSTGRES_DIR
#                                         (default: $TMPDIR/screening-test-postgres-$UID) unless it
#                                         runs already; prints its URL:
#                                           export SCREENING_TEST_POSTGRES=$(scripts/test-postgres.sh start)
#   scripts/test-postgres.sh url          prints the URL of the running cluster
#   scripts/test-postgres.sh stop         stops the cluster and deletes its directory
#
# The URL is postgres://USER@127.0.0.1:PORT/postgres. initdb refuses to run as root, so as root
# the cluster belongs to the system user "postgres" (made by the Debian package, which
# scripts/setup-system.sh installs); otherwise to the current user.
set -euo pipefail

die() {
  echo "test-postgres: $*" >&2
  exit 1
}

bindir() {
  local d
  # Debian/Ubuntu keep the server programs out of PATH, one directory per major version.
  for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
    [ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ] && { echo "$d"; return; }
  done
  command -v pg_ctl >/dev/null 2>&1 && command -v initdb >/dev/null 2>&1 &&
    { dirname "$(command -v pg_ctl)"; return; }
  die "no PostgreSQL server programs (initdb, pg_ctl): run scripts/setup-system.sh" \
    "(Debian/Ubuntu: apt-get install postgresql)"
}

if [ "$(id -u)" -eq 0 ]; then
  owner=postgres
  getent passwd "$owner" >/dev/null || die "running as root, and there is no user \"postgres\" to own the cluster (apt-get install postgresql makes it)"
  as_owner() { runuser -u "$owner" -- "$@"; }
else
  owner="$(id -un)"
  as_owner() { "$@"; }
fi

default_dir="${SCREENING_TEST_POSTGRES_DIR:-${TMPDIR:-/tmp}/screening-test-postgres-$(id -u)}"

running() { [ -f "$1/url" ] && as_owner "$PG/pg_ctl" -D "$1/data" status >/dev/null 2>&1; }

# start DIR: initdb (once) and start the cluster in DIR; prints its URL.
start() {
  local dir="$1" port tries
  if running "$dir"; then
    cat "$dir/url"
    return
  fi
  mkdir -p "$dir"
  [ "$(id -u)" -eq 0 ] && chown "$owner" "$dir"
  as_owner test -w "$dir" ||
    die "$dir is not writable by $owner: set SCREENING_TEST_POSTGRES_DIR or TMPDIR to a directory it may use"
  if [ ! -f "$dir/data/PG_VERSION" ]; then
    rm -rf "$dir/data"
    as_owner "$PG/initdb" -D "$dir/data" -U "$owner" -A trust -E UTF8 --locale=C --no-sync \
      >"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; die "initdb failed"; }
  fi
  as_owner mkdir -p "$dir/sock"
  for tries in 1 2 3 4 5 6 7 8 9 10; do
    port=$((20000 + RANDOM % 40000))
    # Taken already: try another.
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && continue
    if as_owner "$PG/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 30 -s start -o \
      "-c listen_addresses=127.0.0.1 -p $port -k $dir/sock -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300" \
      >/dev/null 2>&1; then
      echo "postgres://$owner@127.0.0.1:$port/postgres" >"$dir/url"
      cat "$dir/url"
      return
    fi
    # Another process took the port between the check and the start: try another.
    grep -q "Address already in use" "$dir/server.log" 2>/dev/null || break
  done
  cat "$dir/server.log" >&2 2>/dev/null || true
  die "the cluster in $dir did not start (log above)"
}

# stop DIR: stops the cluster (if it runs) and deletes DIR.
stop() {
  local dir="$1"
  [ -d "$dir" ] || return 0
  if [ -f "$dir/data/postmaster.pid" ]; then
    as_owner "$PG/pg_ctl" -D "$dir/data" -m immediate -w -s stop >/dev/null 2>&1 || true
  fi
  rm -rf "$dir"
}

cmd="${1:-}"
[ $# -gt 0 ] && shift
case "$cmd" in
  start)
    PG="$(bindir)"
    start "$default_dir"
    ;;
  url)
    PG="$(bindir)"
    running "$default_dir" || die "no cluster runs in $default_dir: scripts/test-postgres.sh start"
    cat "$default_dir/url"
    ;;
  stop)
    PG="$(bindir)"
    stop "$default_dir"
    ;;
  run)
    [ $# -gt 0 ] || die "run: give the command to run"
    if [ -n "${SCREENING_TEST_POSTGRES:-}" ]; then
      echo "test-postgres: using SCREENING_TEST_POSTGRES=$SCREENING_TEST_POSTGRES" >&2
      exec "$@"
    fi
    PG="$(bindir)"
    base="${TMPDIR:-/tmp}"
    # The cluster's owner must reach the directory (as root, TMPDIR may be private to root).
    as_owner test -w "$base" -a -x "$base" || base=/tmp
    dir="$(mktemp -d "$base/screening-test-postgres.XXXXXX")"
    trap 'stop "$dir"' EXIT
    trap 'exit 130' INT
    trap 'exit 143' TERM
    began=$(date +%s%N)
    SCREENING_TEST_POSTGRES="$(start "$dir")"
    export SCREENING_TEST_POSTGRES
    echo "test-postgres: $SCREENING_TEST_POSTGRES (a throwaway cluster in $dir, up in $((($(date +%s%N) - began) / 1000000)) ms)" >&2
    status=0
    "$@" || status=$?
    exit "$status"
    ;;
  *)
    die "usage: $0 run CMD... | start | url | stop"
    ;;
esac
