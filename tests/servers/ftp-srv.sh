#!/usr/bin/env bash
# One more real server, for recording only (not started by start.sh, not
# used by the live tests): ftp-srv, the FTP server of Node.js (npm), which
# writes replies the Debian servers do not (HELP answered with a 211
# table, RFC 959's "system help reply"; MDTM with milliseconds; a
# three-line banner).
#
#   ftp-srv   127.0.0.1:2127   npm ftp-srv 4.6.3, passive ports 40080-40099
#
# Run after start.sh (it serves start.sh's tree, $SERVER_DIR/root, and
# takes the login ftptest/ftptest), as root, then
# `tests/servers/record.py --server ftp-srv`.  `ftp-srv.sh stop` stops it.
# Needs node and npm (Debian's nodejs and npm) and the npm registry.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
VERSION=4.6.3
PORT=2127
# shellcheck source=tests/servers/recorded-only.sh
. "$HERE/recorded-only.sh"
stop() { stop_pidfile ftp-srv 'ftp-srv/server.js'; }
stop_or_start "${1:-}"

dir="$PREFIX/ftp-srv"
npm_install "$dir" ftp-srv "$VERSION"
printf 'ftp-srv %s\n' "$VERSION" >"$dir/VERSION"

# The server: everything on 127.0.0.1 (control and passive listeners; ftp-srv
# binds its passive sockets to the control URL's host), one user.
cat >"$dir/server.js" <<'EOF'
const FtpSrv = require('ftp-srv');
const [port, root] = process.argv.slice(2);
const srv = new FtpSrv({
  url: 'ftp://127.0.0.1:' + port,
  pasv_url: '127.0.0.1',
  pasv_min: 40080,
  pasv_max: 40099,
  anonymous: false,
  greeting: ['ftp-reply test server'],
});
srv.on('login', ({ username, password }, resolve, reject) => {
  if (username === 'ftptest' && password === 'ftptest') resolve({ root });
  else reject(new Error('Login incorrect.'));
});
srv.listen();
EOF

mkdir -p "$SERVER_DIR/ftp-srv"
(
    cd "$SERVER_DIR/ftp-srv"
    setsid node "$dir/server.js" "$PORT" "$SERVER_DIR/root" </dev/null >>server.out 2>&1 &
    echo $! >"$SERVER_DIR/ftp-srv.pid"
)
await_loopback ftp-srv "$PORT"
printf 'ftp-srv 127.0.0.1:%s version %s\n' "$PORT" "$VERSION"
