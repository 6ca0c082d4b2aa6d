#!/usr/bin/env bash
# Starts a throwaway Redis server on 127.0.0.1 for the tests; sourced after postgres.sh.
# Exports KENESH_REDIS_URL; stop_redis stops it (scripts/test.sh calls both on exit).

start_redis() {
    if ! command -v redis-server >/dev/null; then
        echo "installing Redis from Debian's packages"
        export DEBIAN_FRONTEND=noninteractive
        apt-get update -qq
        apt-get install -y -qq redis-server >/dev/null
    fi
    KENESH_REDIS_DIR=$(mktemp -d /tmp/kenesh-redis.XXXXXX)
    local port
    port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    redis-server --bind 127.0.0.1 --port "$port" --save '' --appendonly no \
        --dir "$KENESH_REDIS_DIR" --pidfile "$KENESH_REDIS_DIR/redis.pid" \
        --logfile "$KENESH_REDIS_DIR/log" --daemonize yes
    for _ in $(seq 50); do
        redis-cli -p "$port" ping >/dev/null 2>&1 && break
        sleep 0.1
    done
    export KENESH_REDIS_DIR KENESH_REDIS_URL="redis://127.0.0.1:$port/0"
    echo "Redis $(redis-server --version | awk '{print $3}' | cut -d= -f2) on 127.0.0.1:$port"
}

stop_redis() {
    [ -n "${KENESH_REDIS_DIR:-}" ] || return 0
    [ -f "$KENESH_REDIS_DIR/redis.pid" ] && kill "$(cat "$KENESH_REDIS_DIR/redis.pid")" 2>/dev/null
    rm -rf "$KENESH_REDIS_DIR"
}
