#!/usr/bin/env bash
# Stop the FTP servers that start.sh started, by the PIDs in its pid files
# ($FTP_REPLY_SERVER_DIR/<server>.pid), and nothing else.  A pid whose process
# is not the expected server binary (stale file, reused pid) is left alone.
# start.sh ran each server in a session of its own (setsid), so session
# processes still alive after the server exited (they belong to that session,
# whose id is the server's pid) are ended too.
# pyftpdlib is Debian's /usr/bin/python3 running tests/servers/pyftpdlib_server.py
# (from any checkout): that is what "the expected server" means for it.
set -euo pipefail

PREFIX="${FTP_REPLY_SERVERS_PREFIX:-/opt/ftp-reply-servers}"
SERVER_DIR="${FTP_REPLY_SERVER_DIR:-/tmp/ftp-reply-servers}"

log() { printf 'stop.sh: %s\n' "$*" >&2; }

is_ours() { # pid name
    local exe
    exe="$(readlink "/proc/$1/exe" 2>/dev/null || true)"
    if [ "$2" = pyftpdlib ]; then
        [ -n "$exe" ] && [ "$exe" = "$(readlink -f /usr/bin/python3)" ] || return 1
        # argv[1] is the launcher
        case "$(tr '\0' '\n' 2>/dev/null <"/proc/$1/cmdline" | sed -n 2p)" in
            */tests/servers/pyftpdlib_server.py) return 0 ;;
            *) return 1 ;;
        esac
    fi
    case "$exe" in
        "$PREFIX/$2/"*) return 0 ;;
        *) return 1 ;;
    esac
}

session_pids() { # sid -> pids of that session that run our server binary
    local sid="$1" name="$2" p
    for p in $(ps -o pid= -s "$sid" 2>/dev/null || true); do
        if is_ours "$p" "$name"; then echo "$p"; fi
    done
}

wait_gone() { # pid...
    local i p alive
    for i in $(seq 1 50); do
        alive=0
        for p in "$@"; do
            if kill -0 "$p" 2>/dev/null; then alive=1; fi
        done
        [ "$alive" -eq 1 ] || return 0
        sleep 0.1
    done
    return 1
}

for name in vsftpd proftpd pure-ftpd pyftpdlib; do
    pidfile="$SERVER_DIR/$name.pid"
    [ -f "$pidfile" ] || continue
    pid="$(cat "$pidfile")"
    case "$pid" in '' | *[!0-9]*) log "$name: bad pid file $pidfile"; rm -f "$pidfile"; continue ;; esac
    if ! is_ours "$pid" "$name"; then
        log "$name: pid $pid is not running $name (stale pid file)"
        rm -f "$pidfile"
        continue
    fi
    pids="$(session_pids "$pid" "$name")"
    # shellcheck disable=SC2086
    kill -TERM $pids 2>/dev/null || true
    # shellcheck disable=SC2086
    if ! wait_gone $pids; then
        log "$name: still running after SIGTERM, sending SIGKILL"
        # shellcheck disable=SC2086
        kill -KILL $pids 2>/dev/null || true
        # shellcheck disable=SC2086
        wait_gone $pids || log "$name: could not stop pids $pids"
    fi
    rm -f "$pidfile"
    log "stopped $name (pid $pid)"
done
