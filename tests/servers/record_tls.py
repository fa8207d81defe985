#!/usr/bin/env python3
"""Record what real servers answer to RFC 2228 and RFC 4217's commands.

The servers of tls.sh (the same builds as start.sh's and extra.sh's, with
TLS on).  Each session, with record.py's raw control connection:

  banner, FEAT (before AUTH: what it offers), PBSZ 0 and PROT P before
  AUTH (RFC 4217 section 8 and 9: 503), AUTH GSSAPI (a mechanism it lacks:
  RFC 2228's 504 or 534), AUTH TLS (234; a server that refuses it is asked
  AUTH SSL), then over TLS: PBSZ 1024 (RFC 4217 section 8: the server
  answers with PBSZ=0), PROT S and PROT E (levels TLS does not give: 536 or
  504), PROT P, USER, PASS, FEAT, PWD, TYPE I, SIZE hello.txt, PASV + RETR
  hello.txt over a TLS data connection, PROT C, EPSV + RETR hello.txt in
  the clear, AUTH TLS again (503 or 534), QUIT.

A reply that says no to what the session wants next (a login, a data
connection) stops it there with QUIT, and what came is kept.  Writes, per
server, into tests/data/<server>/ (the name without "-tls"):

  tls.raw    every byte of the control connection as the FTP layer reads
             it: the clear replies up to the 234, then what came inside TLS
  tls.cmds   the command each reply answers, one line per reply ("-" for
             none), as session.cmds

Standard library only (ssl).  Usage:
  tests/servers/record_tls.py [--out DIR] [--server NAME ...]
"""

import argparse
import os
import socket
import ssl
import sys

import record
from record import Control, ProtocolError, code, expected_hello, read_data

TLS_SERVERS = {
    "vsftpd-tls": 2150,
    "proftpd-tls": 2151,
    "pure-ftpd-tls": 2152,
    "pyftpdlib-tls": 2153,
}


def context():
    # A self-signed certificate made by tls.sh: nothing to verify against.
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE
    return ctx


class TlsControl(Control):
    def start_tls(self, ctx):
        if self.buf:
            raise ProtocolError("bytes after the 234, before the handshake: %r" % self.buf)
        self.sock = ctx.wrap_socket(self.sock, server_hostname="127.0.0.1")

    def drain(self, timeout=5.0):
        try:
            super().drain(timeout)
        except (ssl.SSLError, OSError):
            # A server that closes without TLS's close_notify.
            self.sock.close()


def transfer(ctl, cmd, port, ctx):
    """Data connection to port, cmd, its 1xx, then TLS when ctx, data, final."""
    data_sock = socket.create_connection((record.HOST, port), timeout=record.REPLY_DEADLINE)
    try:
        reply = ctl.command(cmd)
        if not reply.startswith(b"1"):
            return reply, None, None
        if ctx is not None:
            data_sock = ctx.wrap_socket(data_sock, server_hostname="127.0.0.1", session=ctl.sock.session)
        try:
            data = read_data(data_sock)
        except (ssl.SSLError, ConnectionResetError):
            data = None
        final = ctl.read_reply("-")
        return reply, data, final
    finally:
        data_sock.close()


def session(name, port):
    ctx = context()
    ctl = TlsControl(port)
    banner = ctl.read_reply("-")
    if code(banner) != "220":
        raise ProtocolError("banner is not 220: %r" % banner)
    ctl.command("FEAT")
    ctl.command("PBSZ 0")
    ctl.command("PROT P")
    ctl.command("AUTH GSSAPI")
    reply = ctl.command("AUTH TLS")
    if code(reply) not in ("234", "334"):
        reply = ctl.command("AUTH SSL")
    if code(reply) not in ("234", "334"):
        raise ProtocolError("neither AUTH TLS nor AUTH SSL: %r" % reply)
    ctl.start_tls(ctx)
    ctl.command("PBSZ 1024")
    ctl.command("PROT S")
    ctl.command("PROT E")
    protected = code(ctl.command("PROT P")) == "200"
    ctl.command("USER ftptest")
    reply = ctl.command("PASS ftptest", timeout=record.LOGIN_DEADLINE)
    if code(reply) != "230":
        raise ProtocolError("login failed: %r" % reply)
    ctl.command("FEAT")
    ctl.command("PWD")
    ctl.command("TYPE I")
    ctl.command("SIZE hello.txt")
    reply = ctl.command("PASV")
    if code(reply) != "227":
        raise ProtocolError("PASV failed: %r" % reply)
    _, data, _ = transfer(ctl, "RETR hello.txt", record.pasv_port(reply), ctx if protected else None)
    if data != expected_hello():
        raise ProtocolError("RETR hello.txt (PROT P) returned %r bytes, not 1234" % (data and len(data)))
    if code(ctl.command("PROT C")) == "200":
        reply = ctl.command("EPSV")
        if code(reply) == "229":
            _, data, _ = transfer(ctl, "RETR hello.txt", record.epsv_port(reply), None)
            if data != expected_hello():
                raise ProtocolError("RETR hello.txt (PROT C) returned %r bytes, not 1234" % (data and len(data)))
    ctl.command("AUTH TLS")
    ctl.command("QUIT")
    ctl.drain()
    if b"".join(r for _, r in ctl.replies) + ctl.buf != bytes(ctl.raw):
        raise ProtocolError("internal error: replies do not add up to the received bytes")
    if ctl.buf:
        ctl.cmds.append("-")
    return ctl


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", default=record.DEFAULT_OUT, help="output folder (default: tests/data)")
    ap.add_argument("--server", action="append", choices=sorted(TLS_SERVERS), help="only this server (repeatable)")
    args = ap.parse_args()

    def one(name):
        ctl = session(name, TLS_SERVERS[name])
        d = os.path.join(args.out, name[: -len("-tls")])
        os.makedirs(d, exist_ok=True)
        record.write(os.path.join(d, "tls.raw"), bytes(ctl.raw))
        record.write(os.path.join(d, "tls.cmds"), "".join(c + "\n" for c in ctl.cmds))
        record.report(name, ctl, d)

    return record.record_each(args.server or list(TLS_SERVERS), one)


if __name__ == "__main__":
    sys.exit(main())
