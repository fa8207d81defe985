#!/usr/bin/env bash
# One more real server, for recording only (not started by start.sh, not
# used by the live tests): nodeftpd, the npm package `ftpd`, a second
# Node.js FTP server written apart from ftp-srv, which answers SYST with
# `215 UNIX Type: I`, CWD with a 250 that quotes the new directory
# (`250 CWD successful. "/quo""te" is current directory`), unknown
# commands, HELP, REST and MLST with 502, `OPTS` other than `UTF8 ON`
# with 451, a failed SIZE with 450, and MDTM in the server's local time
# on a 12-hour clock (dateformat's `hh`: 17:00 is written 05).
#
#   nodeftpd   127.0.0.1:2141   npm ftpd 0.2.16 (nodeftpd), passive ports
#                               40300-40319 on 127.0.0.1
#
# (jsftpd, asked for first, is not in the npm registry: `npm view jsftpd`
# is a 404.)  Run after start.sh (it serves start.sh's tree,
# $SERVER_DIR/root, and takes the login ftptest/ftptest), as root, then
# `tests/servers/record.py --server nodeftpd`.  `nodeftpd.sh stop` stops
# it.  Needs node and npm (Debian's nodejs and npm) and the npm registry.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
VERSION=0.2.16
PORT=2141
# shellcheck source=tests/servers/recorded-only.sh
. "$HERE/recorded-only.sh"
need_root
stop() { stop_pidfile nodeftpd 'nodeftpd/server.js'; }
stop_or_start "${1:-}" user

dir="$PREFIX/nodeftpd"
npm_install "$dir" ftpd "$VERSION"
printf 'ftpd %s\n' "$VERSION" >"$dir/VERSION"

# The server: control on 127.0.0.1, one user, start.sh's tree as its root.
# nodeftpd listens for passive connections on every interface (its
# `pasv.listen(port)` names no host): its passive server's listen is
# wrapped to add 127.0.0.1. Once listening it runs as ftptest, so what it
# writes belongs to ftptest as on the other servers.
cat >"$dir/server.js" <<'EOF'
const ftpd = require('ftpd');
const FtpConnection = require('ftpd/lib/FtpConnection');
const [port, root] = process.argv.slice(2);

const createPassive = FtpConnection.prototype._createPassiveServer;
FtpConnection.prototype._createPassiveServer = function () {
  const srv = createPassive.apply(this, arguments);
  const listen = srv.listen;
  srv.listen = function (p) { return listen.call(srv, p, '127.0.0.1'); };
  return srv;
};

const server = new ftpd.FtpServer('127.0.0.1', {
  getInitialCwd: () => '/',
  getRoot: () => root,
  pasvPortRangeStart: 40300,
  pasvPortRangeEnd: 40319,
  useWriteFile: false,
  useReadFile: false,
});
server.on('error', (e) => console.log('FTP server error:', e));
server.on('client:connected', (conn) => {
  let user = null;
  conn.on('command:user', (u, ok, fail) => {
    user = u;
    if (u === 'ftptest') ok(); else fail();
  });
  conn.on('command:pass', (p, ok, fail) => {
    if (user === 'ftptest' && p === 'ftptest') ok(user); else fail();
  });
});
server.listen(Number(port), '127.0.0.1', () => {
  process.setgroups([]);
  process.setgid('ftptest');
  process.setuid('ftptest');
});
EOF

mkdir -p "$SERVER_DIR/nodeftpd"
(
    cd "$SERVER_DIR/nodeftpd"
    NODE_PATH="$dir/node_modules" setsid node "$dir/server.js" "$PORT" "$SERVER_DIR/root" \
        </dev/null >>server.out 2>&1 &
    echo $! >"$SERVER_DIR/nodeftpd.pid"
)
await_loopback nodeftpd "$PORT"
printf 'nodeftpd 127.0.0.1:%s version %s\n' "$PORT" "$VERSION"
