#!/usr/bin/env bash
# One more real server, for recording only (not started by start.sh, not
# used by the live tests): unFTP, the FTP server built on libunftp, the
# FTP server library of the Rust ecosystem. It answers MKD with the bare
# path (`257 /new"dir`, no quotes) and MLST with a three-line 250 block.
#
#   unftp   127.0.0.1:2133   unFTP 0.16.0 (libunftp 0.24.0) from crates.io,
#                            passive ports 40200-40219 on 127.0.0.1, its
#                            metrics listener on 127.0.0.1:2134
#
# Run after start.sh (it serves start.sh's tree, $SERVER_DIR/root, and
# takes the login ftptest/ftptest), as root, then
# `tests/servers/record.py --server unftp`.  `unftp.sh stop` stops it.
# unFTP is built with `cargo install unftp --locked` (about 8 minutes on
# two cores) into $PREFIX/unftp the first time.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
PORT=2133
VERSION=0.16.0
# shellcheck source=tests/servers/recorded-only.sh
. "$HERE/recorded-only.sh"
stop() { stop_pidfile unftp 'unftp/bin/unftp'; }
stop_or_start "${1:-}"

dir="$PREFIX/unftp"
bin="$dir/bin/unftp"
if ! "$bin" --version 2>/dev/null | grep -q "unFTP $VERSION"; then
    command -v cargo >/dev/null || die "cargo is needed to build unFTP"
    log "building unFTP $VERSION with cargo install (several minutes)"
    CARGO_TARGET_DIR="$(mktemp -d)" cargo install -q unftp --version "$VERSION" --locked --root "$dir" \
        || die "cargo install unftp failed"
fi
printf 'unftp %s\n' "$VERSION" >"$dir/VERSION"

# One user, ftptest/ftptest, read-write on the tree (the JSON file takes a
# plain password).
mkdir -p "$SERVER_DIR/unftp"
printf '[{"username": "ftptest", "password": "ftptest"}]\n' >"$SERVER_DIR/unftp/users.json"
(
    cd "$SERVER_DIR/unftp"
    setsid "$bin" --bind-address "127.0.0.1:$PORT" --bind-address-http 127.0.0.1:2134 \
        --passive-ports 40200-40219 --passive-host 127.0.0.1 \
        --auth-type json --auth-json-path "$SERVER_DIR/unftp/users.json" \
        --root-dir "$SERVER_DIR/root" </dev/null >>server.out 2>&1 &
    echo $! >"$SERVER_DIR/unftp.pid"
)
await_loopback unftp "$PORT"
await_loopback unftp-metrics 2134
printf 'unftp 127.0.0.1:%s version %s\n' "$PORT" "$VERSION"
