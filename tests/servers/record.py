#!/usr/bin/env python3
"""Record the exact control-connection bytes of real FTP servers.

Connects with raw sockets (not ftplib, which normalises line endings and
hides multi-line structure) to the servers started by start.sh, plays a fixed
scripted session and writes, per server, into tests/data/<server>/:

  session.raw   every byte the server sent on the control connection, in
                order, exactly as received (replies concatenated)
  session.cmds  one line per reply in session.raw, in order: the command that
                was sent and that the reply answers, or "-" for a reply that no
                new command caused (the 220 banner, the second, final reply
                after a 1xx preliminary reply, an unsolicited reply)
  help.raw      the bytes of the reply to HELP alone
  pasv.raw      the bytes of the reply to PASV alone
  VERSION       "<server> <version>" and the package (Debian's, its source
                built, npm's or crates.io's)

Standard library only.  Usage:
  tests/servers/record.py [--out DIR] [--server NAME ...]
With no --server, the four servers of start.sh; netkit-ftpd and
inetutils-ftpd (extra.sh) only when named, with LPSV, EPSV 2 and HELP SITE
added before QUIT; ftp-srv (ftp-srv.sh), busybox-ftpd (busybox-ftpd.sh),
aioftp (aioftp.sh), gridftp (gridftp.sh), twisted (twisted.sh), unftp
(unftp.sh), owftpd (owftpd.sh) and nodeftpd (nodeftpd.sh) only when
named.  owftpd serves a simulated 1-Wire bus, not start.sh's tree: its
session reads the file `type` of the DS18S20 at 10.000010EF0000/ where the
others read hello.txt, and adds LPSV, EPSV 2 and a listing of a missing
name before QUIT.
"""

import argparse
import os
import re
import socket
import sys
import time

HOST = "127.0.0.1"
SERVERS = {"vsftpd": 2121, "proftpd": 2122, "pure-ftpd": 2123, "pyftpdlib": 2124}
# Recorded only when named with --server (started by extra.sh, not start.sh).
EXTRA = {"netkit-ftpd": 2125, "inetutils-ftpd": 2126, "ftp-srv": 2127, "busybox-ftpd": 2128, "aioftp": 2129, "gridftp": 2130, "twisted": 2132, "unftp": 2133, "owftpd": 2140, "nodeftpd": 2141}
# The BSD-line pair, which gets three more commands.
BSD = ("netkit-ftpd", "inetutils-ftpd")
# owftpd (OWFS): its tree is a simulated 1-Wire bus (owftpd.sh's
# --tester=10,28), with this device directory and file in it.
OWFS = "owftpd"
OWFS_DEVICE = "10.000010EF0000"
OWFS_FILE = "type"
OWFS_DATA = b"DS18S20"
PREFIX = os.environ.get("FTP_REPLY_SERVERS_PREFIX", "/opt/ftp-reply-servers")
HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_OUT = os.path.normpath(os.path.join(HERE, "..", "data"))

REPLY_DEADLINE = 15.0  # seconds for one reply to arrive completely
LOGIN_DEADLINE = 30.0  # PASS may be slow (pure-ftpd: argon2 hash + delay)
DATA_DEADLINE = 15.0  # seconds to read a data connection until it closes
STRAY_POLL = 0.05  # look for unsolicited bytes before each command


def expected_hello():
    """The contents of hello.txt as start.sh writes it (1234 bytes)."""
    text = b"".join(
        b"hello.txt line %03d: The quick brown fox jumps over the lazy dog.\n" % i
        for i in range(1, 21)
    )
    return text[:1234]


class ProtocolError(Exception):
    pass


def reply_end(buf):
    """Length of the first complete reply at the start of buf, or None.

    Minimal RFC 959 section 4.2 detector, lenient on line endings: a line ends
    at LF (CR before it optional).  A first line "ddd-" starts a multi-line
    reply, ended by the first later line that starts with the same three
    digits followed by a space (or by the end of the line).  Any other first
    line is a whole reply.
    """
    nl = buf.find(b"\n")
    if nl < 0:
        return None
    first = buf[: nl + 1]
    if not (len(first) >= 4 and first[:3].isdigit() and first[3:4] == b"-"):
        return nl + 1
    code = first[:3]
    pos = nl + 1
    while True:
        nl = buf.find(b"\n", pos)
        if nl < 0:
            return None
        line = buf[pos : nl + 1]
        if line.startswith(code) and line[3:4] in (b" ", b"\r", b"\n"):
            return nl + 1
        pos = nl + 1


class Control:
    def __init__(self, port):
        self.sock = socket.create_connection((HOST, port), timeout=REPLY_DEADLINE)
        self.buf = b""
        self.raw = bytearray()  # all bytes received, in order
        self.cmds = []  # one entry per reply
        self.replies = []  # (command or "-", reply bytes)

    def _recv(self, deadline):
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise socket.timeout()
        self.sock.settimeout(remaining)
        data = self.sock.recv(65536)
        if data:
            self.raw += data
        return data

    def read_reply(self, label, timeout=REPLY_DEADLINE):
        deadline = time.monotonic() + timeout
        while True:
            end = reply_end(self.buf)
            if end is not None:
                reply, self.buf = self.buf[:end], self.buf[end:]
                self.cmds.append(label)
                self.replies.append((label, reply))
                return reply
            try:
                data = self._recv(deadline)
            except socket.timeout:
                raise ProtocolError(
                    "no complete reply to %r within %.0fs (got %r)" % (label, timeout, self.buf)
                )
            if not data:
                raise ProtocolError("connection closed while waiting for reply to %r (got %r)" % (label, self.buf))
            self.buf += data

    def poll_stray(self):
        """Record any complete unsolicited reply that arrived unasked."""
        try:
            data = self._recv(time.monotonic() + STRAY_POLL)
        except (socket.timeout, BlockingIOError):
            data = None
        if data:
            self.buf += data
        while self.buf and reply_end(self.buf) is not None:
            self.read_reply("-")

    def send(self, cmd):
        self.poll_stray()
        self.sock.sendall(cmd.encode("utf-8") + b"\r\n")

    def command(self, cmd, timeout=REPLY_DEADLINE):
        """Send cmd and read one reply (see transfer() for 1xx + final)."""
        self.send(cmd)
        reply = self.read_reply(cmd, timeout)
        return reply

    def drain(self, timeout=5.0):
        """After QUIT: read until the server closes the connection."""
        deadline = time.monotonic() + timeout
        try:
            while True:
                data = self._recv(deadline)
                if not data:
                    break
                self.buf += data
        except (socket.timeout, ConnectionResetError):
            pass
        while self.buf and reply_end(self.buf) is not None:
            self.read_reply("-")
        self.sock.close()


def code(reply):
    return reply[:3].decode("ascii", "replace")


def read_data(sock, timeout=DATA_DEADLINE):
    deadline = time.monotonic() + timeout
    chunks = []
    while True:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise ProtocolError("data connection not closed within %.0fs" % timeout)
        sock.settimeout(remaining)
        data = sock.recv(65536)
        if not data:
            break
        chunks.append(data)
    sock.close()
    return b"".join(chunks)


def transfer(ctl, cmd, data_port):
    """Connect to 127.0.0.1:data_port, send cmd, read 1xx, data, final."""
    data_sock = socket.create_connection((HOST, data_port), timeout=REPLY_DEADLINE)
    try:
        reply = ctl.command(cmd)
        if not reply.startswith(b"1"):
            return reply, None, None
        data = read_data(data_sock)
        final = ctl.read_reply("-")
        return reply, data, final
    finally:
        data_sock.close()


PASV_RE = re.compile(rb"(\d{1,3}),(\d{1,3}),(\d{1,3}),(\d{1,3}),(\d{1,3}),(\d{1,3})")
EPSV_RE = re.compile(rb"\(([\x21-\x7e])\1\1(\d{1,5})\1\)")


def pasv_port(reply):
    m = PASV_RE.search(reply[4:])
    if not m:
        raise ProtocolError("cannot parse PASV reply %r" % reply)
    nums = [int(x) for x in m.groups()]
    addr = ".".join(str(n) for n in nums[:4])
    if addr != HOST:
        raise ProtocolError("PASV announced %s, not %s" % (addr, HOST))
    return nums[4] * 256 + nums[5]


def epsv_port(reply):
    m = EPSV_RE.search(reply)
    if not m:
        raise ProtocolError("cannot parse EPSV reply %r" % reply)
    return int(m.group(2))


QUOTE_DIR = 'quo"te'
NEW_DIR = 'new"dir'
UTF8_DIR = "gr\u00fc\u00dfe"  # grüße, sent as UTF-8
SPACE_DIR = "with spaces"


def session(name, port):
    ctl = Control(port)
    info = {}
    owfs = name == OWFS
    fname = OWFS_FILE if owfs else "hello.txt"
    banner = ctl.read_reply("-")
    if code(banner) != "220":
        raise ProtocolError("banner is not 220: %r" % banner)
    ctl.command("PWD")  # needs login
    ctl.command("USER ftptest")
    reply = ctl.command("PASS ftptest", timeout=LOGIN_DEADLINE)
    if code(reply) != "230":
        raise ProtocolError("login failed: %r" % reply)
    ctl.command("SYST")
    ctl.command("FEAT")
    info["help"] = ctl.command("HELP")
    ctl.command("HELP RETR")
    ctl.command("STAT")
    ctl.command("PWD")
    ctl.command("CWD " + QUOTE_DIR)
    ctl.command("PWD")
    ctl.command("CWD /")
    ctl.command("MKD " + NEW_DIR)
    ctl.command("TYPE I")
    if owfs:
        # Into the device's directory, where its files are (owftpd's SIZE
        # and RETR take no path with a slash).
        ctl.command("CWD " + OWFS_DEVICE)
        ctl.command("PWD")
    ctl.command("SIZE " + fname)
    ctl.command("MDTM " + fname)

    reply = ctl.command("PASV")
    info["pasv"] = reply
    if code(reply) != "227":
        raise ProtocolError("PASV failed: %r" % reply)
    first, data, final = transfer(ctl, "LIST", pasv_port(reply))
    info["list"] = data
    if data is None:
        raise ProtocolError("LIST failed: %r" % first)

    reply = ctl.command("EPSV")
    if code(reply) == "229":
        port = epsv_port(reply)
    elif reply.startswith(b"5"):
        # A server with no EPSV (Twisted's): PASV again, as a client does.
        reply = ctl.command("PASV")
        if code(reply) != "227":
            raise ProtocolError("PASV after EPSV failed: %r" % reply)
        port = pasv_port(reply)
    else:
        raise ProtocolError("EPSV failed: %r" % reply)
    first, data, final = transfer(ctl, "RETR " + fname, port)
    if owfs:
        if data != OWFS_DATA:
            raise ProtocolError("RETR %s returned %r, not %r" % (fname, data, OWFS_DATA))
    elif data != expected_hello():
        raise ProtocolError("RETR hello.txt returned %r bytes, not the expected 1234" % (data and len(data)))

    ctl.command("REST 100")
    ctl.command("REST 0")
    ctl.command("XYZZY")
    ctl.command("OPTS UTF8 ON")
    ctl.command("MLST " + fname)
    if owfs:
        ctl.command("CWD /")
    # Extras beyond the scripted list: a UTF-8 path and a path with spaces in
    # 257 replies, a 550 that echoes a name, a directory listing sent over
    # the control connection (STAT <path>: lines without a leading space).
    ctl.command("CWD " + UTF8_DIR)
    ctl.command("PWD")
    ctl.command("CWD /")
    ctl.command("CWD " + SPACE_DIR)
    ctl.command("PWD")
    ctl.command("CWD /")
    ctl.command("SIZE missing.txt")
    ctl.command("STAT /")
    ctl.command("RMD " + NEW_DIR)
    if name in BSD:
        # What these two answer and the four others do not: RFC 1639's
        # LPSV, EPSV with a protocol they lack (RFC 2428's list of the
        # ones they have), the SITE help table.
        ctl.command("LPSV")
        ctl.command("EPSV 2")
        ctl.command("HELP SITE")
    if owfs:
        # RFC 1639's LPSV and RFC 2428's EPSV with a protocol it lacks
        # (owftpd answers both), and a listing of a name that is not
        # there: a 150, an empty data connection, then a 451.
        ctl.command("LPSV")
        ctl.command("EPSV 2")
        reply = ctl.command("EPSV")
        first, data, final = transfer(ctl, "LIST missing", epsv_port(reply))
    ctl.command("QUIT")
    ctl.drain()

    if b"".join(r for _, r in ctl.replies) + ctl.buf != bytes(ctl.raw):
        raise ProtocolError("internal error: replies do not add up to the received bytes")
    if ctl.buf:
        # Trailing bytes that do not form a complete reply: keep them in
        # session.raw, give them a line of their own.
        ctl.cmds.append("-")
    return ctl, info


def read_version(name):
    path = os.path.join(PREFIX, name, "VERSION")
    with open(path, encoding="utf-8") as f:
        package, version = f.read().split()[:2]
    return package, version


def write(path, data):
    mode = "wb" if isinstance(data, (bytes, bytearray)) else "w"
    kwargs = {} if mode == "wb" else {"encoding": "utf-8", "newline": "\n"}
    with open(path, mode, **kwargs) as f:
        f.write(data)


def record(name, port, out):
    ctl, info = session(name, port)
    d = os.path.join(out, name)
    os.makedirs(d, exist_ok=True)
    write(os.path.join(d, "session.raw"), bytes(ctl.raw))
    write(os.path.join(d, "session.cmds"), "".join(c + "\n" for c in ctl.cmds))
    write(os.path.join(d, "help.raw"), info["help"])
    write(os.path.join(d, "pasv.raw"), info["pasv"])
    package, version = read_version(name)
    origin = {
        "ftp-srv": "npm",
        "nodeftpd": "npm",
        "busybox-ftpd": "Debian 12 source, built by busybox-ftpd.sh",
        "unftp": "crates.io, built by unftp.sh",
        "owftpd": "Debian 12 source, built by owftpd.sh",
    }.get(name, "Debian 12")
    write(os.path.join(d, "VERSION"), "%s %s\npackage: %s (%s)\n" % (name, version, package, origin))
    report(name, ctl, d)


def report(name, ctl, d):
    """Print what was recorded: a line per reply, its command and first line."""
    print("%s: %d replies, %d bytes -> %s" % (name, len(ctl.cmds), len(ctl.raw), d))
    for label, reply in ctl.replies:
        first_line = reply.split(b"\n", 1)[0].rstrip(b"\r")
        print("  %-16s %s" % (label, first_line.decode("utf-8", "backslashreplace")))


def record_each(names, one):
    """one(name) for each name; a failure is printed and the others go on.
    Returns the exit status: 1 when any failed."""
    failed = []
    for name in names:
        try:
            one(name)
        except (OSError, ProtocolError) as e:
            print("%s: FAILED: %s" % (name, e), file=sys.stderr)
            failed.append(name)
    if failed:
        print("recording failed for: %s" % ", ".join(failed), file=sys.stderr)
        return 1
    return 0


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", default=DEFAULT_OUT, help="output folder (default: tests/data)")
    ap.add_argument("--server", action="append", choices=sorted({**SERVERS, **EXTRA}), help="only this server (repeatable)")
    args = ap.parse_args()
    return record_each(args.server or list(SERVERS), lambda name: record(name, {**SERVERS, **EXTRA}[name], args.out))


if __name__ == "__main__":
    sys.exit(main())
