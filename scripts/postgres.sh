#!/usr/bin/env bash
# Starts a throwaway PostgreSQL server on 127.0.0.1 for the tests and benchmarks; sourced.
# Exports KENESH_PG_URL (a superuser, so tests can create a database each) and stops the
# server when the calling shell exits.

find_pg_bin() {
    ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1
}

start_postgres() {
    local bin
    bin=$(find_pg_bin)
    if [ -z "$bin" ] || [ ! -x "$bin/initdb" ]; then
        echo "installing PostgreSQL from Debian's packages"
        export DEBIAN_FRONTEND=noninteractive
        apt-get update -qq
        apt-get install -y -qq postgresql >/dev/null
        bin=$(find_pg_bin)
    fi
    local run_as=()
    if [ "$(id -u)" = 0 ]; then
        run_as=(runuser -u postgres --)  # the server refuses to run as root
    fi
    KENESH_PG_DIR=$(mktemp -d /tmp/kenesh-pg.XXXXXX)
    chmod 755 "$KENESH_PG_DIR"
    [ "$(id -u)" = 0 ] && chown postgres "$KENESH_PG_DIR"
    local port
    port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    "${run_as[@]}" "$bin/initdb" -D "$KENESH_PG_DIR/data" -U kenesh -A trust -E UTF8 \
        --locale=C.UTF-8 >/dev/null
    "${run_as[@]}" "$bin/pg_ctl" -D "$KENESH_PG_DIR/data" -l "$KENESH_PG_DIR/log" -w \
        -o "-p $port -k $KENESH_PG_DIR -c listen_addresses=127.0.0.1 -c fsync=off \
            -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" start >/dev/null
    export KENESH_PG_BIN=$bin KENESH_PG_DIR
    export KENESH_PG_URL="postgresql+asyncpg://kenesh@127.0.0.1:$port/postgres"
    trap stop_postgres EXIT
    echo "PostgreSQL $("$bin/postgres" --version | awk '{print $3}') on 127.0.0.1:$port"
}

stop_postgres() {
    local run_as=()
    [ "$(id -u)" = 0 ] && run_as=(runuser -u postgres --)
    "${run_as[@]}" "$KENESH_PG_BIN/pg_ctl" -D "$KENESH_PG_DIR/data" -m fast stop >/dev/null 2>&1 || true
    rm -rf "$KENESH_PG_DIR"
}
