#!/usr/bin/env bash
# One more real server, for recording only (not started by start.sh, not
# used by the live tests): aioftp, the asyncio FTP server of Python
# (Debian's python3-aioftp), which answers PASV with a two-line 227 whose
# address is on the closing line, and MKD with a 257 with no text at all.
#
#   aioftp   127.0.0.1:2129   Debian python3-aioftp 0.21.4, passive ports
#                             40140-40159 on 127.0.0.1
#
# Run after start.sh (it serves start.sh's tree, $SERVER_DIR/root, and
# takes the login ftptest/ftptest), as root, then
# `tests/servers/record.py --server aioftp`.  `aioftp.sh stop` stops it.
# The package is unpacked with apt-get download and dpkg-deb -x (no
# install); python3 runs it.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
PORT=2129
# shellcheck source=tests/servers/recorded-only.sh
. "$HERE/recorded-only.sh"
stop() { stop_pidfile aioftp 'aioftp/server.py'; }
stop_or_start "${1:-}"

dir="$PREFIX/aioftp"
lib="$dir/usr/lib/python3/dist-packages"
if [ ! -d "$lib/aioftp" ]; then
    work="$(mktemp -d)"
    (cd "$work" && apt-get download -qq python3-aioftp >/dev/null 2>&1) \
        || { apt-get update -qq && (cd "$work" && apt-get download -qq python3-aioftp >/dev/null 2>&1); } \
        || die "apt-get download python3-aioftp failed"
    rm -rf "$dir" && mkdir -p "$dir"
    dpkg-deb -x "$work"/python3-aioftp_*.deb "$dir"
    printf 'python3-aioftp %s\n' "$(dpkg-deb -f "$work"/python3-aioftp_*.deb Version)" >"$dir/VERSION"
    rm -rf "$work"
fi

# The server: control and passive listeners on 127.0.0.1 (aioftp binds its
# passive sockets to the control listener's host), one user whose root is
# the tree, read-write.
cat >"$dir/server.py" <<'EOF'
import asyncio
import pathlib
import sys

sys.path.insert(0, sys.argv[3])
import aioftp  # noqa: E402


async def main(port, root):
    user = aioftp.User(
        "ftptest", "ftptest", home_path="/", base_path=pathlib.Path(root),
        permissions=[aioftp.Permission("/", readable=True, writable=True)],
    )
    server = aioftp.Server([user], data_ports=range(40140, 40160))
    await server.start("127.0.0.1", port)
    await server.serve_forever()


asyncio.run(main(int(sys.argv[1]), sys.argv[2]))
EOF

mkdir -p "$SERVER_DIR/aioftp"
(
    cd "$SERVER_DIR/aioftp"
    setsid python3 "$dir/server.py" "$PORT" "$SERVER_DIR/root" "$lib" </dev/null >>server.out 2>&1 &
    echo $! >"$SERVER_DIR/aioftp.pid"
)
await_loopback aioftp "$PORT"
printf 'aioftp 127.0.0.1:%s version %s\n' "$PORT" "$(cut -d' ' -f2 "$dir/VERSION")"
