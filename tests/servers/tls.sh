#!/usr/bin/env bash
# The servers that speak RFC 2228 and RFC 4217 (AUTH TLS, PBSZ, PROT), for
# recording only (not started by start.sh, not used by the live tests):
# the same builds as start.sh's and extra.sh's, each a second time with TLS
# on, so that the golden files hold what each one answers to the security
# commands (234, 500, 502, 503, 504, 521, 536, 200 PBSZ=0, ...) and the replies
# that come over the protected control connection after it.
#
#   vsftpd-tls      127.0.0.1:2150   passive ports 40220-40239
#   proftpd-tls     127.0.0.1:2151   passive ports 40240-40259 (mod_tls
#                                    from Debian's proftpd-mod-crypto)
#   pure-ftpd-tls   127.0.0.1:2152   passive ports 40260-40279
#   pyftpdlib-tls   127.0.0.1:2153   passive ports 40280-40299
#                                    (TLS_FTPHandler; python3-openssl)
#
# (Debian's ftpd-ssl, extra.sh's netkit-ftpd, is not here: it answers AUTH
# TLS with 234 but opens no certificate, the one given with -z cert= or
# its default, and fails every handshake.)
#
# Each offers TLS and still allows plain logins (as every one of them does
# by default), with a self-signed certificate made here for 127.0.0.1.
# Run after start.sh (it needs the user ftptest, its PureDB and the served
# tree), as root, then
# `tests/servers/record_tls.py`.  `tls.sh stop` stops them.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=tests/servers/recorded-only.sh
. "$HERE/recorded-only.sh"
need_root
NAMES=(vsftpd-tls proftpd-tls pure-ftpd-tls pyftpdlib-tls)
stop() {
    local name
    for name in "${NAMES[@]}"; do
        case "$name" in
            vsftpd-tls) stop_pidfile "$name" vsftpd ;;
            proftpd-tls) stop_pidfile "$name" proftpd ;;
            pure-ftpd-tls) stop_pidfile "$name" pure-ftpd ;;
            pyftpdlib-tls) stop_pidfile "$name" pyftpdlib_server.py ;;
        esac
    done
}
stop_or_start "${1:-}" user
ROOT="$SERVER_DIR/root"

export DEBIAN_FRONTEND=noninteractive
# proftpd's mod_tls is a module of its own package, of the same version.
CRYPTO="$PREFIX/proftpd-mod-crypto"
if [ ! -f "$CRYPTO/usr/lib/proftpd/mod_tls.so" ]; then
    version="$(cut -d' ' -f2 "$PREFIX/proftpd/VERSION")"
    work="$(mktemp -d)"
    (cd "$work" && apt-get download -qq "proftpd-mod-crypto=$version" >/dev/null 2>&1) \
        || { apt-get update -qq && (cd "$work" && apt-get download -qq "proftpd-mod-crypto=$version" >/dev/null 2>&1); } \
        || die "apt-get download proftpd-mod-crypto=$version failed"
    rm -rf "$CRYPTO" && mkdir -p "$CRYPTO"
    dpkg-deb -x "$work"/proftpd-mod-crypto_*.deb "$CRYPTO"
    rm -rf "$work"
fi
if ! /usr/bin/python3 -c 'import OpenSSL' 2>/dev/null; then
    apt-get install -y -qq --no-install-recommends python3-openssl >/dev/null \
        || { apt-get update -qq && apt-get install -y -qq --no-install-recommends python3-openssl >/dev/null; }
fi

# A self-signed certificate for 127.0.0.1, made afresh on every start.
TLS="$SERVER_DIR/tls"
rm -rf "$TLS" && mkdir -p "$TLS"
openssl req -x509 -newkey rsa:2048 -nodes -days 7 -subj /CN=127.0.0.1 \
    -keyout "$TLS/key.pem" -out "$TLS/cert.pem" 2>/dev/null
cat "$TLS/key.pem" "$TLS/cert.pem" >"$TLS/both.pem"
chmod 644 "$TLS"/*.pem # pyftpdlib reads it as ftptest

# bg NAME CMD...: in its own session, in the background, logging to
# $SERVER_DIR/NAME/NAME.out, its pid in $SERVER_DIR/NAME.pid.
bg() {
    local name="$1"
    shift
    mkdir -p "$SERVER_DIR/$name"
    (
        cd "$SERVER_DIR/$name"
        setsid "$@" </dev/null >>"$name.out" 2>&1 &
        echo $! >"$SERVER_DIR/$name.pid"
    )
}
started() {
    await_loopback "$1" "$2"
    printf '%s 127.0.0.1:%s\n' "$1" "$2"
}

# vsftpd: start.sh's file with another port, passive range and log, and
# ssl_enable (no session reuse asked of data connections, which Python's
# ssl cannot give over TLS 1.3).
d="$SERVER_DIR/vsftpd-tls"
mkdir -p "$d/empty" && chmod 755 "$d/empty"
sed -e "s|@SERVER_DIR@/vsftpd/|$d/|g" -e "s|@ROOT@|$ROOT|g" \
    -e 's/^listen_port=.*/listen_port=2150/' \
    -e 's/^pasv_min_port=.*/pasv_min_port=40220/' -e 's/^pasv_max_port=.*/pasv_max_port=40239/' \
    "$HERE/vsftpd.conf" >"$d/vsftpd.conf"
cat >>"$d/vsftpd.conf" <<EOF
ssl_enable=YES
rsa_cert_file=$TLS/cert.pem
rsa_private_key_file=$TLS/key.pem
force_local_logins_ssl=NO
force_local_data_ssl=NO
require_ssl_reuse=NO
EOF
bg vsftpd-tls "$PREFIX/vsftpd/usr/sbin/vsftpd" "$d/vsftpd.conf"
started vsftpd-tls 2150

# proftpd: start.sh's file with another port, passive range, pid and logs,
# and mod_tls loaded (TLSRequired off: plain logins stay allowed).
d="$SERVER_DIR/proftpd-tls"
mkdir -p "$d"
sed -e "s|@SERVER_DIR@/proftpd/|$d/|g" -e "s|@ROOT@|$ROOT|g" \
    -e 's/^Port .*/Port                    2151/' \
    -e 's/^PassivePorts .*/PassivePorts            40240 40259/' \
    "$HERE/proftpd.conf" >"$d/proftpd.conf"
cat >>"$d/proftpd.conf" <<EOF
ModulePath $CRYPTO/usr/lib/proftpd
LoadModule mod_tls.c
<IfModule mod_tls.c>
  TLSEngine on
  TLSRequired off
  TLSRSACertificateFile $TLS/cert.pem
  TLSRSACertificateKeyFile $TLS/key.pem
  TLSProtocol TLSv1.2 TLSv1.3
  TLSOptions NoSessionReuseRequired
  TLSLog $d/tls.log
</IfModule>
EOF
"$PREFIX/proftpd/usr/sbin/proftpd" -t -c "$d/proftpd.conf" >"$d/configtest.out" 2>&1 \
    || { cat "$d/configtest.out" >&2; die "proftpd-tls config test failed"; }
bg proftpd-tls "$PREFIX/proftpd/usr/sbin/proftpd" -n -c "$d/proftpd.conf"
started proftpd-tls 2151

# pure-ftpd: start.sh's flags (its PureDB of ftptest) with another address,
# passive range and pid file, and --tls=1 (TLS offered, plain allowed).
d="$SERVER_DIR/pure-ftpd-tls"
mkdir -p "$d"
[ -f "$SERVER_DIR/pure-ftpd/pureftpd.pdb" ] || die "run start.sh first (pure-ftpd's PureDB)"
pure_flags=()
while IFS= read -r line; do
    case "$line" in '#'* | '') continue ;; esac
    case "$line" in
        --bind=*) line=--bind=127.0.0.1,2152 ;;
        --passiveportrange=*) line=--passiveportrange=40260:40279 ;;
        --pidfile=*) line=--pidfile=$d/pure-ftpd.pid ;;
        --altlog=*) line=--altlog=clf:$d/transfer.log ;;
    esac
    pure_flags+=("$(sed -e "s|@SERVER_DIR@|$SERVER_DIR|g" -e "s|@ROOT@|$ROOT|g" <<<"$line")")
done <"$HERE/pure-ftpd.flags"
pure_flags+=(--tls=1 "--certfile=$TLS/cert.pem,$TLS/key.pem")
bg pure-ftpd-tls "$PREFIX/pure-ftpd/usr/sbin/pure-ftpd" "${pure_flags[@]}"
started pure-ftpd-tls 2152

# pyftpdlib: start.sh's launcher with --tls.
bg pyftpdlib-tls /usr/bin/python3 "$HERE/pyftpdlib_server.py" \
    --host 127.0.0.1 --port 2153 --passive 40280-40299 \
    --root "$ROOT" --user ftptest --password ftptest --tls "$TLS/both.pem"
started pyftpdlib-tls 2153

