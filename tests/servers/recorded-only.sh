# Shared by the launchers of the servers that are recorded only (extra.sh,
# ftp-srv.sh, busybox-ftpd.sh, aioftp.sh, gridftp.sh, twisted.sh,
# unftp.sh, owftpd.sh, nodeftpd.sh, tls.sh; sourced, not run): the two directories, log and die named after
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

# npm_install DIR PACKAGE VERSION: the npm package PACKAGE@VERSION in
# DIR/node_modules, installed once.
npm_install() {
    local dir="$1" pkg="$2" version="$3"
    command -v node >/dev/null && command -v npm >/dev/null \
        || die "node and npm are needed (apt-get install nodejs npm)"
    [ -d "$dir/node_modules/$pkg" ] && return 0
    mkdir -p "$dir"
    (cd "$dir" && npm install --no-audit --no-fund --silent "$pkg@$version" >/dev/null) \
        || die "npm install $pkg@$version failed"
}

# apt_source DIR PACKAGE: `apt-get source --download-only PACKAGE` in DIR,
# through a deb-src entry made from the machine's own archive entries
# (same keyring), removed again after the call (and the index updated
# without it); returns the fetch's status.
apt_source() {
    local dir="$1" pkg="$2" list status=0
    if [ -f /etc/apt/sources.list.d/debian.sources ]; then
        list="/etc/apt/sources.list.d/ftp-reply-$pkg-src.sources"
        sed 's/^Types: deb$/Types: deb-src/' /etc/apt/sources.list.d/debian.sources >"$list"
    else
        list="/etc/apt/sources.list.d/ftp-reply-$pkg-src.list"
        sed -n 's/^deb /deb-src /p' /etc/apt/sources.list >"$list"
    fi
    apt-get update -qq \
        && (cd "$dir" && apt-get source -qq --download-only "$pkg" >/dev/null 2>&1) \
        || status=$?
    rm -f "$list"
    apt-get update -qq || true
    return "$status"
}
