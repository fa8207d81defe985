#!/usr/bin/env bash
# One more real server, for recording only (not started by start.sh, not
# used by the live tests): the ftpd applet of BusyBox, the FTP server of
# routers, cameras and other embedded Linux devices, which answers MKD
# with a 257 that quotes no name (`257 Operation successful`) and HELP
# with its FEAT list under 214.
#
#   busybox-ftpd   127.0.0.1:2128   BusyBox 1.35.0 from Debian 12's source
#                                   package, built with the ftpd and tcpsvd
#                                   applets (Debian's binary has no ftpd)
#
# Run after start.sh (it serves start.sh's tree, $SERVER_DIR/root, and
# takes the login ftptest/ftptest from /etc/shadow), as root, then
# `tests/servers/record.py --server busybox-ftpd`.  `busybox-ftpd.sh stop`
# stops it.  The first run fetches the source with `apt-get source` (a
# deb-src entry for the Debian archive is added for that call and removed
# after it) and builds it: build-essential and bzip2 are installed when
# missing.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
PORT=2128
# shellcheck source=tests/servers/recorded-only.sh
. "$HERE/recorded-only.sh"
need_root
stop() { stop_pidfile busybox-ftpd 'busybox-ftpd/busybox tcpsvd'; }
stop_or_start "${1:-}" user

dir="$PREFIX/busybox-ftpd"
if [ ! -x "$dir/busybox" ]; then
    export DEBIAN_FRONTEND=noninteractive
    command -v gcc >/dev/null && command -v make >/dev/null && command -v bzip2 >/dev/null \
        && command -v dpkg-source >/dev/null \
        || { apt-get update -qq && apt-get install -y -qq build-essential bzip2 >/dev/null; }
    work="$(mktemp -d)"
    apt_source "$work" busybox || die "apt-get source busybox failed"
    (cd "$work" && dpkg-source -x --no-check ./busybox_*.dsc src >/dev/null) \
        || die "unpacking the busybox source failed"
    version="$(sed -n 's/^Version: //p' "$work"/busybox_*.dsc)"
    # The applets needed and nothing else: ftpd (with uploads, for MKD and
    # RMD, and login against /etc/shadow), ls for its listings, tcpsvd to
    # serve it on a socket.
    (
        cd "$work/src"
        make allnoconfig >/dev/null
        for opt in FTPD FEATURE_FTPD_WRITE FEATURE_FTPD_ACCEPT_BROKEN_LIST \
            FEATURE_FTPD_AUTHENTICATION FEATURE_SHADOWPASSWDS LS TCPSVD; do
            sed -i "s/^# CONFIG_$opt is not set\$/CONFIG_$opt=y/" .config
        done
        yes '' | make oldconfig >/dev/null
        make -j"$(nproc)" busybox >build.log 2>&1
    ) || die "building busybox failed (see $work/src/build.log)"
    mkdir -p "$dir"
    cp "$work/src/busybox" "$dir/busybox"
    printf 'busybox %s\n' "$version" >"$dir/VERSION"
    rm -rf "$work"
fi

# tcpsvd accepts on 127.0.0.1 only and runs ftpd per connection; ftpd binds
# its passive listeners to the control connection's local address, so to
# 127.0.0.1 too. It chroots into the tree after the login.
mkdir -p "$SERVER_DIR/busybox-ftpd"
(
    cd "$SERVER_DIR/busybox-ftpd"
    setsid "$dir/busybox" tcpsvd -E 127.0.0.1 "$PORT" \
        "$dir/busybox" ftpd -w -t 30 "$SERVER_DIR/root" </dev/null >>server.out 2>&1 &
    echo $! >"$SERVER_DIR/busybox-ftpd.pid"
)
await_loopback busybox-ftpd "$PORT"
printf 'busybox-ftpd 127.0.0.1:%s version %s\n' "$PORT" "$(cut -d' ' -f2 "$dir/VERSION")"
