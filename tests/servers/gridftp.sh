#!/usr/bin/env bash
# One more real server, for recording only (not started by start.sh, not
# used by the live tests): the Globus GridFTP server (Grid Community
# Toolkit, Debian's globus-gridftp-server-progs), the FTP server of
# research data grids, which extends FTP (RFC 959, 2389, 3659 and GridFTP's
# own) and writes replies none of the others do: a 257 to MKD with words
# before the quoted name, multi-line 550s that carry a GlobusError.
#
#   gridftp   127.0.0.1:2130   Debian globus-gridftp-server-progs 13.24,
#                              in the network namespace ftp-reply-gridftp,
#                              data ports 40180-40199
#
# The server binds its data listeners to every interface (-data-interface
# only names the address it announces), so it runs in a network namespace
# of its own whose only interface is the loopback: nothing in it can be
# reached from outside, and the recorder runs in it too. Run after
# start.sh, as root, then
#   ip netns exec ftp-reply-gridftp tests/servers/record.py --server gridftp
# `gridftp.sh stop` stops it and removes the namespace.  Installs the package (apt-get
# install: about 50 packages of Globus libraries and Perl, which is why
# this is not part of start.sh). The login ftptest (any password) is
# GridFTP's clear-text anonymous access mapped to the user ftptest; the
# server chroots into a copy of start.sh's tree ($SERVER_DIR/gridftp/root)
# that holds the few files of /etc it needs to name the host and the user.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
PORT=2130
# shellcheck source=tests/servers/recorded-only.sh
. "$HERE/recorded-only.sh"
need_root
NS=ftp-reply-gridftp
stop() {
    stop_pidfile gridftp 'globus-gridftp-server'
    if ip netns list | grep -qw "$NS"; then ip netns del "$NS"; fi
}
stop_or_start "${1:-}" user

if ! command -v globus-gridftp-server >/dev/null; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get install -y -qq globus-gridftp-server-progs >/dev/null 2>&1 \
        || { apt-get update -qq && apt-get install -y -qq globus-gridftp-server-progs >/dev/null; } \
        || die "apt-get install globus-gridftp-server-progs failed"
fi
version="$(dpkg-query -W -f '${Version}' globus-gridftp-server-progs)"
mkdir -p "$PREFIX/gridftp"
printf 'globus-gridftp-server-progs %s\n' "$version" >"$PREFIX/gridftp/VERSION"

# The chroot: start.sh's tree (times kept), and what the server looks up
# inside it: the host's name (it resolves it for every PASV and EPSV) and
# the two accounts it names in MLST.
tree="$SERVER_DIR/gridftp/root"
rm -rf "$tree" && mkdir -p "$SERVER_DIR/gridftp"
cp -a "$SERVER_DIR/root" "$tree"
mkdir -p "$tree/etc"
printf '127.0.0.1 localhost %s\n' "$(hostname)" >"$tree/etc/hosts"
printf 'hosts: files\npasswd: files\ngroup: files\n' >"$tree/etc/nsswitch.conf"
grep -E '^(root|ftptest):' /etc/passwd | sed 's/:[^:]*:/:x:/' >"$tree/etc/passwd"
grep -E '^(root|ftptest):' /etc/group >"$tree/etc/group"

ip netns add "$NS"
ip netns exec "$NS" ip link set lo up
(
    cd "$SERVER_DIR/gridftp"
    GLOBUS_TCP_PORT_RANGE=40180,40199 setsid ip netns exec "$NS" globus-gridftp-server -p "$PORT" \
        -control-interface 127.0.0.1 -data-interface 127.0.0.1 \
        -aa -anonymous-user ftptest -anonymous-names-allowed ftptest \
        -chroot-path "$tree" -home-dir / -d error -l "$SERVER_DIR/gridftp/server.log" \
        </dev/null >>server.out 2>&1 &
    echo $! >"$SERVER_DIR/gridftp.pid"
)
# The namespace's only interface is the loopback.
[ "$(ip netns exec "$NS" ip -o link show | wc -l)" -eq 1 ] || die "$NS has more than the loopback"
await_loopback gridftp "$PORT" "$NS"
printf 'gridftp 127.0.0.1:%s (network namespace %s) version %s\n' "$PORT" "$NS" "$version"
