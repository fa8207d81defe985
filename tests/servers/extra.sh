#!/usr/bin/env bash
# Two more real servers, for recording only (not started by start.sh, not
# used by the live tests): the two BSD-line ftpd of Debian 12, which are
# what a router or an old Unix host runs, and which write replies the four
# others do not (RFC 1639's 228 to LPSV, a 501 with a protocol list to
# EPSV 2, HELP tables with a leading blank on each row).
#
#   netkit-ftpd     127.0.0.1:2125   Debian ftpd-ssl (netkit 0.17, "Version
#                                    6.4/OpenBSD/Linux-ftpd-0.17")
#   inetutils-ftpd  127.0.0.1:2126   Debian inetutils-ftpd (GNU inetutils)
#
# Run after start.sh (it needs the user ftptest and the served tree), as
# root, then `tests/servers/record.py --server netkit-ftpd --server
# inetutils-ftpd`.  `extra.sh stop` stops them.
#
# Both are inetd services: tests/servers/inetd.py listens on 127.0.0.1 and
# hands each connection to the server as its standard input and output.
# Both chroot the users listed in /etc/ftpchroot into their home (the
# served tree), check the password against /etc/shadow (netkit through
# PAM's "ftp" service, its package's file copied here if missing) and refuse users whose
# shell is not in /etc/shells, so this script adds ftptest to the first and
# /usr/sbin/nologin to the second: changes to the machine, which is why
# these two are not part of start.sh.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=tests/servers/recorded-only.sh
. "$HERE/recorded-only.sh"
need_root
stop() {
    local name
    for name in netkit-ftpd inetutils-ftpd; do
        stop_pidfile "$name" 'tests/servers/inetd.py'
    done
}
stop_or_start "${1:-}" user

# name  package  binary
SERVERS=(
    "netkit-ftpd ftpd-ssl usr/sbin/in.ftpd 2125"
    "inetutils-ftpd inetutils-ftpd usr/sbin/ftpd 2126"
)
export DEBIAN_FRONTEND=noninteractive
for entry in "${SERVERS[@]}"; do
    read -r name pkg bin port <<<"$entry"
    dir="$PREFIX/$name"
    if [ ! -x "$dir/$bin" ]; then
        work="$(mktemp -d)"
        (cd "$work" && apt-get download -qq "$pkg" >/dev/null 2>&1) \
            || { apt-get update -qq && (cd "$work" && apt-get download -qq "$pkg" >/dev/null 2>&1); }
        rm -rf "$dir" && mkdir -p "$dir"
        dpkg-deb -x "$work"/"${pkg}"_*.deb "$dir"
        printf '%s %s\n' "$pkg" "$(dpkg-deb -f "$work"/"${pkg}"_*.deb Version)" >"$dir/VERSION"
        rm -rf "$work"
    fi
    if ldd "$dir/$bin" | grep -q 'not found'; then
        apt-get install -y -qq --no-install-recommends libwrap0 >/dev/null
    fi
    ! ldd "$dir/$bin" | grep 'not found' || die "$name: libraries missing"
done

grep -qx ftptest /etc/ftpchroot 2>/dev/null || echo ftptest >>/etc/ftpchroot
grep -qx /usr/sbin/nologin /etc/shells || echo /usr/sbin/nologin >>/etc/shells
# netkit's PAM service, as its package ships it (not installed by dpkg here).
[ -f /etc/pam.d/ftp ] || cp "$PREFIX/netkit-ftpd/etc/pam.d/ftp" /etc/pam.d/ftp

for entry in "${SERVERS[@]}"; do
    read -r name pkg bin port <<<"$entry"
    mkdir -p "$SERVER_DIR/$name"
    # Started alone in the background (not as part of a list), so that $!
    # is the launcher itself; setsid execs it (no fork: not a group leader).
    (
        cd "$SERVER_DIR/$name"
        setsid /usr/bin/python3 "$HERE/inetd.py" "$port" "$PREFIX/$name/$bin" </dev/null >>inetd.out 2>&1 &
        echo $! >"$SERVER_DIR/$name.pid"
    )
    await_loopback "$name" "$port"
    printf '%s 127.0.0.1:%s version %s\n' "$name" "$port" "$(cut -d' ' -f2 "$PREFIX/$name/VERSION")"
done
