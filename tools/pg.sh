#!/usr/bin/env bash
# A private PostgreSQL cluster inside the checkout (.local/pgdata), listening
# on a unix socket only (.local/pgsocket). PostgreSQL refuses to run as root,
# so as root it runs as the `postgres` system user.
# Usage: tools/pg.sh start|stop|status
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
LOCAL="$ROOT/.local"
PGDATA="$LOCAL/pgdata"
PGSOCK="$LOCAL/pgsocket"
PGBIN="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)"
[ -n "$PGBIN" ] || PGBIN="$(dirname "$(command -v pg_ctl)")"

as_pg() {
    if [ "$(id -u)" = 0 ]; then
        # runuser keeps our cwd; make sure postgres can reach it
        (cd / && runuser -u postgres -- "$@")
    else
        "$@"
    fi
}

case "${1:-start}" in
start)
    mkdir -p "$PGSOCK"
    if [ ! -f "$PGDATA/PG_VERSION" ]; then
        echo "[pg] creating a private cluster in .local/pgdata"
        mkdir -p "$PGDATA"
        if [ "$(id -u)" = 0 ]; then
            chown postgres: "$PGDATA" "$PGSOCK"
            # every parent directory must be traversable by postgres
            d="$LOCAL"; while [ "$d" != "/" ]; do chmod o+x "$d" 2>/dev/null || true; d="$(dirname "$d")"; done
        fi
        as_pg "$PGBIN/initdb" -D "$PGDATA" -U postgres --auth=trust -E UTF8 \
            --locale=C.UTF-8 >/dev/null
        cat >> "$PGDATA/postgresql.conf" <<CONF
listen_addresses = ''
unix_socket_directories = '$PGSOCK'
port = 5432
fsync = off
synchronous_commit = off
full_page_writes = off
shared_buffers = 256MB
max_connections = 100
CONF
    fi
    if ! as_pg "$PGBIN/pg_ctl" -D "$PGDATA" status >/dev/null 2>&1; then
        as_pg "$PGBIN/pg_ctl" -D "$PGDATA" -l "$PGDATA/server.log" -w start >/dev/null
        echo "[pg] PostgreSQL started on $PGSOCK"
    fi
    # the role Odoo connects as (Odoo refuses to connect as `postgres`)
    if ! psql -h "$PGSOCK" -U postgres -d postgres -tAc \
            "SELECT 1 FROM pg_roles WHERE rolname='odoo'" | grep -q 1; then
        psql -q -h "$PGSOCK" -U postgres -d postgres -c \
            "CREATE ROLE odoo LOGIN SUPERUSER"
    fi
    ;;
stop)
    if [ -f "$PGDATA/PG_VERSION" ] && as_pg "$PGBIN/pg_ctl" -D "$PGDATA" status >/dev/null 2>&1; then
        as_pg "$PGBIN/pg_ctl" -D "$PGDATA" -m fast -w stop >/dev/null
        echo "[pg] PostgreSQL stopped"
    else
        echo "[pg] PostgreSQL is not running"
    fi
    ;;
status)
    as_pg "$PGBIN/pg_ctl" -D "$PGDATA" status
    ;;
*)
    echo "usage: $0 start|stop|status" >&2; exit 2 ;;
esac
