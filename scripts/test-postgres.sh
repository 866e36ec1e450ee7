#!/usr/bin/env bash
# Starts a throw-away PostgreSQL cluster for the test suite and prints its URL and its folder on
# stdout (one line, a space between); `scripts/test-postgres.sh stop DIR` stops and removes it.
# Durability means nothing to a test server: fsync and full-page writes are off, which makes
# CREATE DATABASE (one per test) four times faster than on the machine's own server. `start
# durable` keeps them on, as a region's server has them: the benchmark's (bench/pg.mjs), whose
# SQLite store syncs its file at each commit. Needs PostgreSQL's server binaries (initdb,
# pg_ctl); exits 1 without.
#   read -r url dir < <(scripts/test-postgres.sh start)
#   scripts/test-postgres.sh stop "$dir"
set -euo pipefail

bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
if [ -z "$bin" ] && command -v initdb >/dev/null; then bin=$(dirname "$(command -v initdb)"); fi
[ -n "$bin" ] && [ -x "$bin/initdb" ] || { echo "no PostgreSQL server binaries (initdb)" >&2; exit 1; }

# initdb refuses to run as root: the cluster then belongs to the postgres user
as_owner() { if [ "$(id -u)" = 0 ]; then su postgres -s /bin/bash -c "$1"; else bash -c "$1"; fi; }

case "${1:-start}" in
  start)
    durability='-F -c full_page_writes=off'
    case "${2:-}" in
      '') ;;
      durable) durability='' ;;
      *) echo "usage: $0 start [durable] | stop DIR" >&2; exit 2 ;;
    esac
    dir=$(mktemp -d "${TMPDIR:-/tmp}/chorus-admin-pg.XXXXXX")
    [ "$(id -u)" = 0 ] && chown postgres "$dir"
    port=$(( 20000 + RANDOM % 20000 ))
    as_owner "'$bin/initdb' -D '$dir/data' -U root --auth=trust -E UTF8 --locale=C.UTF-8 >'$dir/initdb.log'"
    as_owner "'$bin/pg_ctl' -D '$dir/data' -l '$dir/server.log' -w -o \"-p $port -k '$dir' -c listen_addresses=127.0.0.1 $durability -c max_connections=200\" start >/dev/null"
    as_owner "'$bin/createdb' -h 127.0.0.1 -p $port -U root test"
    echo "postgres://root@127.0.0.1:$port/test $dir"
    ;;
  stop)
    dir=${2:?the cluster folder}
    as_owner "'$bin/pg_ctl' -D '$dir/data' -m immediate stop >/dev/null" || true
    rm -rf "$dir"
    ;;
  *) echo "usage: $0 start [durable] | stop DIR" >&2; exit 2 ;;
esac
