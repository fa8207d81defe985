# Shared by the launchers of the servers that are recorded only (extra.sh,
# ftp-srv.sh, busybox-ftpd.sh, aioftp.sh, gridftp.sh, twisted.sh,
# unftp.sh, owftpd.sh, nodeftpd.sh; sourced, not run): the two directories, log and die named after
# the launcher, the checks before a start, stopping by pid file and the
# wait for a loopback listener.

PREFIX="${FTP_REPLY_SERVERS_PREFIX:-/opt/ftp-reply-servers}"
SERVER_DIR="${FTP_REPLY_SERVER_DIR:-/tmp/ftp-reply-servers}"
log() { printf '%s: %s\n' "$(basename "$0")" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

need_root() { [ "$(id -u)" -eq 0 ] || die "must run as root"; }

# need_start_sh [user]: start.sh's served tree is there (and, with "user",
# its login ftptest).
need_start_sh() {
    if [ "${1:-}" = user ]; then
        getent passwd ftptest >/dev/null || die "run start.sh first"
    fi
    [ -d "$SERVER_DIR/root" ] || die "run start.sh first"
}

# stop_or_start ARG [user]: with ARG "stop", runs the launcher's stop
# function and exits; else checks start.sh's tree (need_start_sh [user])
# and stops a server already running, so that a start replaces it.
stop_or_start() {
    if [ "${1:-}" = stop ]; then
        stop
        exit 0
    fi
    need_start_sh "${2:-}"
    stop
}

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

# await_loopback NAME PORT [NETNS]: wait up to 5 s for a listener on PORT
# (in network namespace NETNS when given), then fail unless it is
# 127.0.0.1:PORT alone.
await_loopback() {
    local name="$1" port="$2" in=()
    [ -n "${3:-}" ] && in=(ip netns exec "$3")
    for _ in $(seq 1 50); do
        "${in[@]}" ss -Hltn "sport = :$port" | grep -q . && break
        sleep 0.1
    done
    "${in[@]}" ss -Hltn "sport = :$port" | awk '{print $4}' | grep -qx "127.0.0.1:$port" \
        || die "$name is not listening on 127.0.0.1:$port${3:+ in $3}"
}
