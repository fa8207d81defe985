#!/usr/bin/env bash
# Start vsftpd, proftpd, pure-ftpd and pyftpdlib on loopback for the
# ftp-reply tests.
#
#   vsftpd     127.0.0.1:2121   passive ports 40000-40019
#   proftpd    127.0.0.1:2122   passive ports 40020-40039
#   pure-ftpd  127.0.0.1:2123   passive ports 40040-40059
#   pyftpdlib  127.0.0.1:2124   passive ports 40060-40079
#
# Login: USER ftptest / PASS ftptest (a system user, created if missing; its
# home is set to the served tree).  Every server chroots the user into
#   ${FTP_REPLY_SERVER_DIR:-/tmp/ftp-reply-servers}/root
# which is created afresh on every run, so PWD prints "/" (pyftpdlib's chroot
# is virtual: its AbstractedFS maps "/" to the tree; it runs as ftptest).
# The whole tree belongs to ftptest and is writable; /upload (empty) is the directory meant
# for uploads, renames and deletions (tests/servers/check_rw.py).
#
# Servers must first be installed with install.sh.  Servers that an earlier
# start.sh started are stopped first (stop.sh), so this is re-runnable.
# Writes <server>.pid files into $FTP_REPLY_SERVER_DIR, waits for each port to
# answer with a 220 banner and prints one line per server:
#   vsftpd 127.0.0.1:2121 version 3.0.3-13+b2
# Must run as root (chroot, PAM/shadow authentication).
set -Eeuo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
PREFIX="${FTP_REPLY_SERVERS_PREFIX:-/opt/ftp-reply-servers}"
SERVER_DIR="${FTP_REPLY_SERVER_DIR:-/tmp/ftp-reply-servers}"
ROOT="$SERVER_DIR/root"
FTP_USER=ftptest
FTP_PASS=ftptest
HOST=127.0.0.1
START_TIMEOUT="${FTP_REPLY_START_TIMEOUT:-10}"

log() { printf 'start.sh: %s\n' "$*" >&2; }
# Any failing command: say where, and stop what was started (see on_error).
trap 'rc=$?; log "ERROR: command failed (exit $rc) at line $LINENO: $BASH_COMMAND"; if declare -F on_error >/dev/null; then on_error; fi; exit $rc' ERR
die() { log "ERROR: $*"; if declare -F on_error >/dev/null; then on_error; fi; exit 1; }

[ "$(id -u)" -eq 0 ] || die "must run as root"
case "$SERVER_DIR" in
    /*) ;;
    *) die "FTP_REPLY_SERVER_DIR must be an absolute path" ;;
esac
case "$SERVER_DIR" in
    / | *'|'* | *' '* | *'@'*) die "unsupported FTP_REPLY_SERVER_DIR: $SERVER_DIR" ;;
esac

for name in vsftpd proftpd pure-ftpd pyftpdlib; do
    [ -f "$PREFIX/$name/.installed" ] || die "$name not installed in $PREFIX/$name: run $HERE/install.sh"
done

# ---------------------------------------------------------------- old servers
FTP_REPLY_SERVER_DIR="$SERVER_DIR" FTP_REPLY_SERVERS_PREFIX="$PREFIX" bash "$HERE/stop.sh"

port_in_use() {
    ss -Hltn "sport = :$1" | grep -q .
}
for port in 2121 2122 2123 2124; do
    if port_in_use "$port"; then
        ss -ltnp "sport = :$port" >&2 || true
        die "port $port is already in use by a process start.sh did not start"
    fi
done

# ------------------------------------------------------------------ test user
if ! id "$FTP_USER" >/dev/null 2>&1; then
    log "creating system user $FTP_USER"
    useradd --no-create-home --home-dir "$ROOT" --shell /usr/sbin/nologin \
        --comment "ftp-reply test user" "$FTP_USER"
fi
if [ "$(getent passwd "$FTP_USER" | cut -d: -f6)" != "$ROOT" ]; then
    usermod --home "$ROOT" "$FTP_USER"
fi
printf '%s:%s\n' "$FTP_USER" "$FTP_PASS" | chpasswd

# ---------------------------------------------------------------- served tree
mkdir -p "$SERVER_DIR"
chmod 755 "$SERVER_DIR"
rm -rf -- "$ROOT"
mkdir -m 755 "$ROOT"

# hello.txt: exactly 1234 bytes, deterministic (numbered pangram lines, the
# last one cut short).
# (No "| head -c": with pipefail, SIGPIPE in the writer would fail the script.)
for i in $(seq 1 20); do
    printf 'hello.txt line %03d: The quick brown fox jumps over the lazy dog.\n' "$i"
done >"$ROOT/hello.txt"
truncate -s 1234 "$ROOT/hello.txt"
[ "$(stat -c %s "$ROOT/hello.txt")" -eq 1234 ] || die "hello.txt is not 1234 bytes"

QUOTE_DIR="$ROOT/quo\"te"
SPACE_DIR="$ROOT/with spaces"
UTF8_DIR="$ROOT/"$'gr\xc3\xbc\xc3\x9fe' # grüße, UTF-8 bytes whatever the locale
mkdir -m 755 "$QUOTE_DIR" "$SPACE_DIR" "$UTF8_DIR"
printf 'inside quo"te\n' >"$QUOTE_DIR/inner.txt"
printf 'inside with spaces\n' >"$SPACE_DIR/a file.txt"
printf 'inside gr\xc3\xbc\xc3\x9fe\n' >"$UTF8_DIR/"$'\xc3\xa4'.txt # ä.txt
# upload/: the scratch directory for read-write clients (STOR, APPE, RNFR/RNTO,
# DELE, MKD/RMD; tests/servers/check_rw.py), so that they never touch the
# read-only fixtures above.  Empty on every start.
mkdir -m 755 "$ROOT/upload"
find "$ROOT" -type f -exec chmod 644 {} +
chown -R "$FTP_USER:" "$ROOT"
# Fixed timestamps everywhere (children before parents).
find "$ROOT" -mindepth 1 -depth -exec touch -d '2021-01-02 03:04:05 UTC' {} +
touch -d '2021-03-04 05:06:07 UTC' "$ROOT/hello.txt"
touch -d '2021-01-02 03:04:05 UTC' "$ROOT"

# ------------------------------------------------------------------- servers
# On any failure from here on, stop what this run already started (the logs
# stay in $SERVER_DIR/<server>/).
on_error() {
    FTP_REPLY_SERVER_DIR="$SERVER_DIR" FTP_REPLY_SERVERS_PREFIX="$PREFIX" bash "$HERE/stop.sh" || true
}
render() { # template -> output
    sed -e "s|@SERVER_DIR@|$SERVER_DIR|g" -e "s|@ROOT@|$ROOT|g" "$1" >"$2"
}

# launch NAME CMD...: run in its own session, in the background, log to
# $SERVER_DIR/NAME/NAME.out, PID into $SERVER_DIR/NAME.pid.
launch() {
    local name="$1"
    shift
    setsid "$@" </dev/null >>"$SERVER_DIR/$name/$name.out" 2>&1 &
    echo $! >"$SERVER_DIR/$name.pid"
}

show_logs() {
    local name="$1" f
    for f in "$SERVER_DIR/$name"/*.out "$SERVER_DIR/$name"/*.log; do
        [ -f "$f" ] || continue
        log "----- $f (last 40 lines)"
        tail -n 40 "$f" >&2
    done
}

# Wait until 127.0.0.1:PORT answers with a "220" line; the server (PID) must
# stay alive meanwhile.
wait_banner() {
    local name="$1" port="$2" pid="$3" deadline line
    deadline=$((SECONDS + START_TIMEOUT))
    while [ "$SECONDS" -lt "$deadline" ]; do
        if ! kill -0 "$pid" 2>/dev/null; then
            show_logs "$name"
            die "$name (pid $pid) exited during start-up"
        fi
        line="$(timeout 3 bash -c '
            exec 3<>"/dev/tcp/$0/$1" || exit 1
            IFS= read -r line <&3 || exit 1
            printf "QUIT\r\n" >&3
            printf "%s" "$line"' "$HOST" "$port" 2>/dev/null || true)"
        case "$line" in
            220*) return 0 ;;
        esac
        sleep 0.2
    done
    show_logs "$name"
    die "$name did not answer with a 220 banner on $HOST:$port within ${START_TIMEOUT}s (last: ${line:-nothing})"
}

# Fail if a process of ours listens anywhere but 127.0.0.1.
check_loopback_only() {
    local name="$1" pid="$2" bad
    bad="$(ss -Hltnp | grep "pid=$pid," | awk '{print $4}' | grep -v '^127\.0\.0\.1:' || true)"
    if [ -n "$bad" ]; then
        die "$name (pid $pid) listens on non-loopback address(es): $bad"
    fi
}

# start_one NAME PORT PROGRAM ARGS...: PROGRAM is relative to the server's
# unpacked root, or absolute (pyftpdlib: Debian's python3).
start_one() {
    local name="$1" port="$2" bin="$3" program exe
    shift 3
    case "$bin" in
        /*) program="$bin" ;;
        *) program="$PREFIX/$name/$bin" ;;
    esac
    mkdir -p "$SERVER_DIR/$name"
    rm -f "$SERVER_DIR/$name"/*.out "$SERVER_DIR/$name"/*.log
    launch "$name" "$program" "$@"
    local pid
    pid="$(cat "$SERVER_DIR/$name.pid")"
    wait_banner "$name" "$port" "$pid"
    # setsid did not need to fork (not a group leader): $! is the server:
    # a binary under the prefix, or (absolute PROGRAM) that very file.
    exe="$(readlink "/proc/$pid/exe" || true)"
    case "$bin" in
        /*) [ -n "$exe" ] && [ "$exe" = "$(readlink -f "$bin")" ] \
            || die "$name: pid $pid is not $program" ;;
        *) case "$exe" in
            "$PREFIX/$name/"*) ;;
            *) die "$name: pid $pid is not $program" ;;
        esac ;;
    esac
    check_loopback_only "$name" "$pid"
    printf '%s %s:%s version %s\n' "$name" "$HOST" "$port" \
        "$(cut -d' ' -f2 "$PREFIX/$name/VERSION")"
}

# vsftpd: secure_chroot_dir must exist, be owned by root, not be writable.
mkdir -p "$SERVER_DIR/vsftpd/empty"
chmod 755 "$SERVER_DIR/vsftpd/empty"
render "$HERE/vsftpd.conf" "$SERVER_DIR/vsftpd/vsftpd.conf"
start_one vsftpd 2121 usr/sbin/vsftpd "$SERVER_DIR/vsftpd/vsftpd.conf"

# proftpd: -n = stay in the foreground (start.sh backgrounds it).
mkdir -p "$SERVER_DIR/proftpd"
render "$HERE/proftpd.conf" "$SERVER_DIR/proftpd/proftpd.conf"
"$PREFIX/proftpd/usr/sbin/proftpd" -t -c "$SERVER_DIR/proftpd/proftpd.conf" \
    >"$SERVER_DIR/proftpd/configtest.out" 2>&1 \
    || { cat "$SERVER_DIR/proftpd/configtest.out" >&2; die "proftpd config test failed"; }
start_one proftpd 2122 usr/sbin/proftpd -n -c "$SERVER_DIR/proftpd/proftpd.conf"

# pure-ftpd: flags from pure-ftpd.flags; foreground (no --daemonize).
mkdir -p "$SERVER_DIR/pure-ftpd"
render "$HERE/pure-ftpd.flags" "$SERVER_DIR/pure-ftpd/pure-ftpd.flags"
rm -f "$SERVER_DIR/pure-ftpd/pureftpd.passwd" "$SERVER_DIR/pure-ftpd/pureftpd.pdb"
printf '%s\n%s\n' "$FTP_PASS" "$FTP_PASS" | "$PREFIX/pure-ftpd/usr/bin/pure-pw" useradd "$FTP_USER" \
    -u "$FTP_USER" -d "$ROOT" -f "$SERVER_DIR/pure-ftpd/pureftpd.passwd" \
    -F "$SERVER_DIR/pure-ftpd/pureftpd.pdb" -m >/dev/null
pure_flags=()
while IFS= read -r flag; do
    case "$flag" in '' | '#'*) continue ;; esac
    pure_flags+=("$flag")
done <"$SERVER_DIR/pure-ftpd/pure-ftpd.flags"
start_one pure-ftpd 2123 usr/sbin/pure-ftpd "${pure_flags[@]}"

# pyftpdlib: Debian's python3 runs the launcher kept here; it binds
# 127.0.0.1:2124, then becomes ftptest (see pyftpdlib_server.py).
mkdir -p "$SERVER_DIR/pyftpdlib"
start_one pyftpdlib 2124 /usr/bin/python3 "$HERE/pyftpdlib_server.py" \
    --host "$HOST" --port 2124 --passive 40060-40079 \
    --root "$ROOT" --user "$FTP_USER" --password "$FTP_PASS"
