#!/usr/bin/env bash
# One more real server, for recording only (not started by start.sh, not
# used by the live tests): owftpd, the FTP server of OWFS (the 1-Wire file
# system), which serves a 1-Wire bus as a tree of directories (one per
# device, `10.000010EF0000/`) and files (`type`, `temperature`). Anonymous
# only: any USER gets `331 Force Anonymous. Send e-mail address as
# password.`, any PASS a 230. It writes a three-line 220 banner, `215
# UNIX` (no type word after it), PWD's path with no quote doubling, 500
# for every command it does not know (FEAT, STAT, MKD, OPTS, MLST) but
# 502 for HELP, RFC 1639's 228 to LPSV, RFC 2428's 522 list to `EPSV 2`,
# and SIZE gives a file's largest length, not what RETR sends.
#
#   owftpd   127.0.0.1:2140   OWFS 3.2p4 (owftpd) from Debian 12's source
#                             package owfs 3.2p4+dfsg1-4.1, built with
#                             -DNDEBUG; simulated bus: --tester=10,28 (a
#                             DS18S20 and a DS18B20, fixed IDs and data);
#                             passive ports: random in 1024-65535 (owftpd
#                             has no setting), bound to 127.0.0.1
#
# Why built, not Debian's binary: Debian 12's owftpd (3.2p4+dfsg1-4.1+b1)
# is built with its self-checks on (no NDEBUG), and its session invariant
# asks for a valid listening socket in the active (PORT) mode every session
# starts in, so it exits (`ftp_session.c:159: : invariant(f)`, exit status
# 1) on the first connection, before the banner. Built with -DNDEBUG, as
# upstream means release builds to be, it serves. Its reply strings are
# those of Debian's binary (checked with `strings`). Only the upstream
# tarball (owfs_3.2p4+dfsg1.orig.tar.xz, checked against the .dsc's
# SHA-256) is used: the archive answered 404 for the Debian revision's
# debian.tar.xz, which holds packaging, not owftpd code.
#
# Run after start.sh (it takes the user ftptest to run as; the tree is
# the 1-Wire bus, not start.sh's), as root, then
# `tests/servers/record.py --server owftpd` (owftpd's session: see
# tests/servers/README.md, "And owftpd").  `owftpd.sh stop` stops it.  The
# first run fetches the source with `apt-get source --download-only` (a
# deb-src entry for the Debian archive is added for that call and removed
# after it) and builds OWFS's library and owftpd alone (about 1 minute;
# build-essential, autoconf, automake, libtool are installed when
# missing).
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
PORT=2140
# shellcheck source=tests/servers/recorded-only.sh
. "$HERE/recorded-only.sh"
need_root
stop() { stop_pidfile owftpd 'owftpd/bin/owftpd'; }
stop_or_start "${1:-}" user

dir="$PREFIX/owftpd"
if [ ! -x "$dir/bin/owftpd" ]; then
    export DEBIAN_FRONTEND=noninteractive
    command -v gcc >/dev/null && command -v make >/dev/null && command -v autoreconf >/dev/null \
        && command -v automake >/dev/null && command -v libtoolize >/dev/null \
        || { apt-get update -qq && apt-get install -y -qq build-essential autoconf automake libtool xz-utils >/dev/null; }
    work="$(mktemp -d)"
    # apt-get fails when one file of the source package is missing (here
    # the debian.tar.xz): what counts is the .dsc and the upstream tarball.
    apt_source "$work" owfs || true
    dsc="$(ls "$work"/owfs_*.dsc 2>/dev/null | head -1)"
    orig="$(ls "$work"/owfs_*.orig.tar.* 2>/dev/null | head -1)"
    [ -n "$dsc" ] && [ -n "$orig" ] || die "apt-get source owfs fetched no .dsc or upstream tarball"
    sum="$(sha256sum "$orig" | cut -d' ' -f1)"
    grep -q "^ $sum [0-9]* $(basename "$orig")\$" "$dsc" || die "$(basename "$orig") does not match $(basename "$dsc")"
    version="$(sed -n 's/^Version: //p' "$dsc")"
    tar -xf "$orig" -C "$work"
    src="$(find "$work" -mindepth 1 -maxdepth 1 -type d -name 'owfs-*' | head -1)"
    [ -n "$src" ] || die "unpacking the owfs source failed"
    # OWFS's library and owftpd, nothing else (no FUSE, no USB, no
    # zeroconf, no language bindings); -DNDEBUG turns the self-checks off.
    (
        cd "$src"
        sh bootstrap
        ./configure --disable-owshell --disable-ownetlib --disable-owhttpd --disable-owserver \
            --disable-owexternal --disable-ownet --disable-owtap --disable-owmon --disable-owcapi \
            --disable-swig --disable-owperl --disable-owphp --disable-owpython --disable-owtcl \
            --disable-owfs --disable-zero --disable-usb --disable-avahi --disable-parport \
            --disable-ftdi --disable-static CPPFLAGS=-DNDEBUG CFLAGS="-O2 -g"
        make -j1
    ) >"$work/build.log" 2>&1 || die "building owftpd failed (see $work/build.log)"
    mkdir -p "$dir/bin" "$dir/lib"
    cp "$src/module/owftpd/src/c/.libs/owftpd" "$dir/bin/owftpd"
    cp -P "$src"/module/owlib/src/c/.libs/libow-*.so* "$dir/lib/"
    printf 'owfs %s\n' "$version" >"$dir/VERSION"
    rm -rf "$work"
fi

# As the user ftptest (it needs no privilege: port 2140, a simulated bus),
# in the foreground, its messages to stderr. It binds its passive
# listeners to the control connection's local address, 127.0.0.1.
mkdir -p "$SERVER_DIR/owftpd"
(
    cd "$SERVER_DIR/owftpd"
    LD_LIBRARY_PATH="$dir/lib" setsid setpriv --reuid=ftptest --regid=ftptest --clear-groups \
        "$dir/bin/owftpd" --foreground -p "127.0.0.1:$PORT" --tester=10,28 --nozero \
        --error_print=2 --error_level=1 </dev/null >>server.out 2>&1 &
    echo $! >"$SERVER_DIR/owftpd.pid"
)
await_loopback owftpd "$PORT"
printf 'owftpd 127.0.0.1:%s version %s\n' "$PORT" "$(cut -d' ' -f2 "$dir/VERSION")"
