#!/usr/bin/env bash
# One more real server, for recording only (not started by start.sh, not
# used by the live tests): the FTP server of Twisted (twisted.protocols.ftp,
# Debian's python3-twisted), the event-driven networking engine of Python,
# used as the FTP server of many projects' test suites.  It has no EPSV,
# REST, HELP, STAT or MLST, answers NLST with no argument with a 500, and
# writes a PWD name with no doubling of its quotes.
#
#   twisted   127.0.0.1:2132   Debian python3-twisted 22.4.0, passive ports
#                              40160-40179 on 127.0.0.1
#
# Run after start.sh (it serves start.sh's tree, $SERVER_DIR/root, and
# takes the login ftptest/ftptest), as root, then
# `tests/servers/record.py --server twisted`.  `twisted.sh stop` stops it.
# python3-twisted is installed with apt-get when Debian's python3 lacks it
# (about 15 packages, all Python).
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
PORT=2132
PY=/usr/bin/python3
# shellcheck source=tests/servers/recorded-only.sh
. "$HERE/recorded-only.sh"
stop() { stop_pidfile twisted 'twisted/server.py'; }
stop_or_start "${1:-}"

if ! "$PY" -c 'import twisted' 2>/dev/null; then
    need_root
    export DEBIAN_FRONTEND=noninteractive
    apt-get install -y -qq python3-twisted >/dev/null \
        || { apt-get update -qq && apt-get install -y -qq python3-twisted >/dev/null; } \
        || die "apt-get install python3-twisted failed"
fi

dir="$PREFIX/twisted"
mkdir -p "$dir"
printf 'python3-twisted %s\n' "$(dpkg-query -W -f '${Version}' python3-twisted)" >"$dir/VERSION"

# The server: control and passive listeners on 127.0.0.1 (Twisted's own
# passive listener binds every interface, so listenFactory is replaced),
# the login ftptest/ftptest and anonymous, both rooted at the tree.
cat >"$dir/server.py" <<'EOF'
import sys

from twisted.cred.checkers import InMemoryUsernamePasswordDatabaseDontUse
from twisted.cred.portal import IRealm, Portal
from twisted.internet import reactor
from twisted.protocols import ftp
from twisted.python import filepath, log
from zope.interface import implementer


@implementer(IRealm)
class Realm:
    def __init__(self, root):
        self.root = filepath.FilePath(root)

    def requestAvatar(self, avatar_id, mind, *interfaces):
        if ftp.IFTPShell not in interfaces:
            raise NotImplementedError(interfaces)
        if avatar_id is ftp.checkers.ANONYMOUS:
            shell = ftp.FTPAnonymousShell(self.root)
        else:
            shell = ftp.FTPShell(self.root)
        return ftp.IFTPShell, shell, lambda: None


class Loopback(ftp.FTP):
    def listenFactory(self, port, factory):
        return reactor.listenTCP(port, factory, interface="127.0.0.1")


log.startLogging(sys.stdout)
port, root = int(sys.argv[1]), sys.argv[2]
users = InMemoryUsernamePasswordDatabaseDontUse()
users.addUser("ftptest", "ftptest")
factory = ftp.FTPFactory(Portal(Realm(root), [users, ftp.checkers.AllowAnonymousAccess()]))
factory.protocol = Loopback
factory.passivePortRange = range(40160, 40180)
reactor.listenTCP(port, factory, interface="127.0.0.1")
reactor.run()
EOF

mkdir -p "$SERVER_DIR/twisted"
(
    cd "$SERVER_DIR/twisted"
    setsid "$PY" "$dir/server.py" "$PORT" "$SERVER_DIR/root" </dev/null >>server.out 2>&1 &
    echo $! >"$SERVER_DIR/twisted.pid"
)
await_loopback twisted "$PORT"
printf 'twisted 127.0.0.1:%s version %s\n' "$PORT" "$(cut -d' ' -f2 "$dir/VERSION")"
