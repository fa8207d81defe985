#!/usr/bin/python3
"""pyftpdlib as the fourth FTP server of the ftp-reply tests (start.sh).

Runs with Debian's /usr/bin/python3 and its python3-pyftpdlib package (not
with another python3 on PATH, which would not see Debian's dist-packages).
Started as root by start.sh; it binds its control socket, then drops to the
system user given with --user (ftptest) for good, so that whatever a client
writes belongs to that user, as with the other three servers.

  control socket   --host:--port (127.0.0.1:2124), IPv4 only
  passive sockets  --passive FIRST-LAST (40060-40079); pyftpdlib binds each
                   one to the control connection's local address (127.0.0.1)
  login            --user/--password (ftptest/ftptest), pyftpdlib's
                   DummyAuthorizer, no anonymous; home = --root, which
                   pyftpdlib's AbstractedFS makes the client's "/" (a virtual
                   chroot: PWD prints "/", no path leads out of the tree)
  permissions      elradfmwMT: read, list, write, append, delete, rename,
                   MKD, SITE CHMOD, MFMT
  TLS              only with --tls PEM (tls.sh): pyftpdlib's TLS_FTPHandler,
                   AUTH TLS/SSL, PBSZ and PROT, plain logins still allowed

Everything else stays pyftpdlib's default (banner, texts, MLST facts, GMT
times in MDTM/MLST/LIST, 300 s idle timeout), since the point is to record
what it really sends.  Logs to stderr (start.sh sends it to pyftpdlib.out).
Runs in the foreground until SIGTERM (stop.sh) or SIGINT.
"""

import argparse
import grp
import logging
import os
import pwd
import signal
import sys

from pyftpdlib import __ver__
from pyftpdlib.authorizers import DummyAuthorizer
from pyftpdlib.handlers import FTPHandler
from pyftpdlib.servers import FTPServer


def port_range(text):
    first, sep, last = text.partition("-")
    if not sep or not first.isdigit() or not last.isdigit() or int(first) > int(last):
        raise argparse.ArgumentTypeError("FIRST-LAST expected, got %r" % text)
    return range(int(first), int(last) + 1)


def drop_privileges(user):
    """Become `user` (uid, gid, its groups) for good; no way back to root."""
    pw = pwd.getpwnam(user)
    groups = sorted({g.gr_gid for g in grp.getgrall() if user in g.gr_mem} | {pw.pw_gid})
    os.setgroups(groups)
    os.setresgid(pw.pw_gid, pw.pw_gid, pw.pw_gid)
    os.setresuid(pw.pw_uid, pw.pw_uid, pw.pw_uid)
    if os.getuid() != pw.pw_uid or os.geteuid() != pw.pw_uid:
        raise SystemExit("could not become %s" % user)
    os.umask(0o022)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--port", type=int, default=2124)
    ap.add_argument("--passive", type=port_range, default=port_range("40060-40079"))
    ap.add_argument("--root", required=True, help="the served tree (the client's /)")
    ap.add_argument("--user", default="ftptest", help="FTP login, and the system user to run as")
    ap.add_argument("--password", default="ftptest")
    ap.add_argument(
        "--tls",
        metavar="PEM",
        help="offer AUTH TLS with this certificate and key (tls.sh; needs python3-openssl)",
    )
    args = ap.parse_args()
    if args.host != "127.0.0.1":
        raise SystemExit("--host must be 127.0.0.1 (loopback only)")

    logging.basicConfig(
        stream=sys.stderr, level=logging.INFO, format="[%(asctime)s] %(levelname)s %(message)s"
    )

    authorizer = DummyAuthorizer()
    authorizer.add_user(args.user, args.password, args.root, perm="elradfmwMT")

    base = FTPHandler
    if args.tls:
        # pyftpdlib's RFC 4217 handler (AUTH TLS/SSL, PBSZ, PROT), as it
        # comes: plain logins stay allowed (tls_control_required and
        # tls_data_required are off by default).
        from pyftpdlib.handlers import TLS_FTPHandler

        base = TLS_FTPHandler
        base.certfile = args.tls

    class Handler(base):
        pass

    Handler.authorizer = authorizer
    Handler.passive_ports = list(args.passive)

    server = FTPServer((args.host, args.port), Handler)
    # pyftpdlib's CWD changes the process's directory and back to where it
    # was: that must be a directory the dropped user can enter (start.sh
    # may run from a clone in a mode-700 mktemp directory, as CI's does).
    os.chdir(args.root)
    if os.geteuid() == 0:
        drop_privileges(args.user)
    logging.info(
        "pyftpdlib %s on %s:%d, passive ports %d-%d, root %s, running as uid %d",
        __ver__,
        args.host,
        args.port,
        args.passive[0],
        args.passive[-1],
        args.root,
        os.getuid(),
    )

    def stop(signum, _frame):
        # serve_forever(handle_exit=True) takes SystemExit as the signal to
        # close every socket and return.
        raise SystemExit("signal %d" % signum)

    signal.signal(signal.SIGTERM, stop)
    server.serve_forever(handle_exit=True)


if __name__ == "__main__":
    main()
