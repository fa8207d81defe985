# Shared by extra.sh and ftp-srv.sh, the launchers of the servers that are
# recorded only (sourced, not run). The caller defines die and log and sets
# SERVER_DIR.

# stop_pidfile NAME PATTERN: kill the process in $SERVER_DIR/NAME.pid when
# its command line holds PATTERN (a stale file or a reused pid is left
# alone), and remove the file.
stop_pidfile() {
    local name="$1" pattern="$2" pid
    [ -f "$SERVER_DIR/$name.pid" ] || return 0
    pid="$(cat "$SERVER_DIR/$name.pid")"
    if { tr '\0' ' ' <"/proc/$pid/cmdline"; } 2>/dev/null | grep -q "$pattern"; then
        kill "$pid" && log "stopped $name (pid $pid)"
    fi
    rm -f "$SERVER_DIR/$name.pid"
}

# await_loopback NAME PORT: wait up to 5 s for a listener on PORT, then
# fail unless it is 127.0.0.1:PORT alone.
await_loopback() {
    local name="$1" port="$2"
    for _ in $(seq 1 50); do
        ss -Hltn "sport = :$port" | grep -q . && break
        sleep 0.1
    done
    ss -Hltn "sport = :$port" | awk '{print $4}' | grep -qx "127.0.0.1:$port" \
        || die "$name is not listening on 127.0.0.1:$port"
}
