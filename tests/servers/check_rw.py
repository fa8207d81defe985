#!/usr/bin/env python3
"""Read-write check of the four FTP servers started by start.sh.

For each server (vsftpd 127.0.0.1:2121, proftpd :2122, pure-ftpd :2123,
pyftpdlib :2124) it
logs in as ftptest/ftptest and plays the flow an FTP client engine needs:

  FEAT, PWD, CWD /upload, TYPE I,
  EPSV + STOR <name> (1 MiB of random bytes),
  SIZE <name>,
  PASV + RETR <name> (compared byte for byte),
  REST 524288 + EPSV + RETR <name> (the second half),
  EPSV + APPE <name> (4 KiB more), then SIZE and REST 1048576 + RETR to check
      the appended bytes,
  EPSV + MLSD (LIST if MLSD is refused with 500/502): the file and its size,
  MDTM <name> (close to now, UTC),
  RNFR <name> / RNTO <name>.renamed, SIZE of both names,
  DELE <name>.renamed,
  MKD <dir>, RMD <dir>,
  QUIT.

The file names are unique per run (server, pid, time, random); whatever the
run created is deleted again, also after a failure.  When the served tree is
on this machine ($FTP_REPLY_SERVER_DIR/root/upload, as start.sh makes it),
the uploaded file is also compared with what landed on disk (same name, same
bytes: no renaming, no ASCII conversion).

Every data connection must go to 127.0.0.1 and to a port of the server's
passive range.  Prints one line per server with what it did differently
(FEAT, EPSV, the 150/226/350 texts, MDTM format, MLSD or LIST, ...); with -v
also every command and reply.  Exits 1 if any step fails on any server.

Standard library only (ftplib for the control connection, plain sockets for
the data connections).  Usage:
  tests/servers/check_rw.py [-v] [--server NAME ...]
Environment: FTP_REPLY_VSFTPD, FTP_REPLY_PROFTPD, FTP_REPLY_PUREFTPD,
FTP_REPLY_PYFTPDLIB (control addresses, 127.0.0.1:port only), FTP_REPLY_SERVER_DIR.
"""

import argparse
import calendar
import ftplib
import os
import re
import socket
import sys
import time

HOST = "127.0.0.1"
USER = "ftptest"
PASSWORD = "ftptest"
WRITABLE_DIR = "/upload"
TIMEOUT = 30.0
FILE_SIZE = 1 << 20  # 1 MiB
HALF = FILE_SIZE // 2
APPEND_SIZE = 4096
MDTM_SLACK = 300  # seconds between the server's MDTM and this machine's clock

# name, environment variable, default port, passive port range (start.sh)
SERVERS = [
    ("vsftpd", "FTP_REPLY_VSFTPD", 2121, range(40000, 40020)),
    ("proftpd", "FTP_REPLY_PROFTPD", 2122, range(40020, 40040)),
    ("pure-ftpd", "FTP_REPLY_PUREFTPD", 2123, range(40040, 40060)),
    ("pyftpdlib", "FTP_REPLY_PYFTPDLIB", 2124, range(40060, 40080)),
]
SERVER_DIR = os.environ.get("FTP_REPLY_SERVER_DIR", "/tmp/ftp-reply-servers")


class Failure(Exception):
    pass


def control_port(env, default):
    text = os.environ.get(env)
    if not text:
        return default
    host, _, port = text.rpartition(":")
    if host != HOST or not port.isdigit():
        raise Failure("%s=%r: only %s:<port> is allowed (loopback only)" % (env, text, HOST))
    return int(port)


def one_line(reply):
    """A multi-line reply on one line: its lines joined with " | "."""
    return reply.replace("\n", " | ")


class Session:
    def __init__(self, name, port, ports, verbose):
        self.name = name
        self.port = port
        self.passive_ports = ports
        self.verbose = verbose
        self.ftp = ftplib.FTP(timeout=TIMEOUT)  # UTF-8 control encoding
        self.banner = self.ftp.connect(HOST, port)
        self.say("<-", self.banner)
        if not self.banner.startswith("220"):
            raise Failure("banner %r" % self.banner)

    def say(self, arrow, text):
        if self.verbose:
            for line in text.split("\n"):
                print("  %s %s %s" % (self.name, arrow, line))

    def reply(self, want, what):
        """Read one reply (all lines, joined with \\n); its code must be in want."""
        try:
            r = self.ftp.getmultiline()
        except (OSError, EOFError) as e:
            raise Failure("%s: no reply (%s)" % (what, e))
        self.say("<-", r)
        if r[:3] not in want:
            raise Failure("%s: got %r, wanted %s" % (what, r, "/".join(sorted(want))))
        return r

    def cmd(self, line, *want):
        self.say("->", line)
        self.ftp.putcmd(line)
        return self.reply(set(want), line)

    def data_connection(self, kind):
        """EPSV or PASV; returns (connected socket, passive reply)."""
        if kind == "EPSV":
            r = self.cmd("EPSV", "229")
            m = re.search(r"\((.)\1\1(\d+)\1\)", r)
            if not m:
                raise Failure("EPSV reply without (|||port|): %r" % r)
            port = int(m.group(2))
        else:
            r = self.cmd("PASV", "227")
            m = re.search(r"(\d+),(\d+),(\d+),(\d+),(\d+),(\d+)", r)
            if not m:
                raise Failure("PASV reply without h1,h2,h3,h4,p1,p2: %r" % r)
            ip = ".".join(m.group(i) for i in range(1, 5))
            if ip != HOST:
                raise Failure("PASV offers %s, not %s: %r" % (ip, HOST, r))
            port = int(m.group(5)) * 256 + int(m.group(6))
        if port not in self.passive_ports:
            raise Failure("%s port %d outside the passive range %d-%d" % (
                kind, port, self.passive_ports[0], self.passive_ports[-1]))
        try:
            sock = socket.create_connection((HOST, port), timeout=TIMEOUT)
        except OSError as e:
            raise Failure("%s: connecting to %s:%d: %s" % (kind, HOST, port, e))
        return sock, r

    def transfer(self, kind, line, upload=None):
        """One transfer over a fresh passive connection.

        Returns (150 reply, 226 reply, downloaded bytes)."""
        sock, _ = self.data_connection(kind)
        try:
            prelim = self.cmd(line, "150", "125")
            got = bytearray()
            if upload is not None:
                sock.sendall(upload)
                sock.shutdown(socket.SHUT_WR)
                # Wait for the server to close its side (it has read all).
                while sock.recv(65536):
                    pass
            else:
                while True:
                    chunk = sock.recv(65536)
                    if not chunk:
                        break
                    got += chunk
        except OSError as e:
            raise Failure("%s: data connection: %s" % (line, e))
        finally:
            sock.close()
        final = self.reply({"226", "250"}, line + " (final reply)")
        return prelim, final, bytes(got)

    def quit(self):
        r = self.cmd("QUIT", "221")
        self.ftp.close()
        return r


def login(s):
    s.cmd("USER " + USER, "331")
    s.cmd("PASS " + PASSWORD, "230")


def features(reply):
    lines = reply.split("\n")
    if len(lines) < 2:
        return []
    return [l.strip() for l in lines[1:-1] if l.strip()]


def size_of(s, name):
    r = s.cmd("SIZE " + name, "213")
    value = r[4:].strip()
    if not value.isdigit():
        raise Failure("SIZE %s: %r" % (name, r))
    return int(value)


def parse_mlsd(data):
    """{name: facts dict} from MLSD data."""
    out = {}
    for line in data.decode("utf-8", "replace").split("\r\n"):
        if not line:
            continue
        facts, sep, name = line.partition(" ")
        if not sep:
            raise Failure("MLSD line without a space: %r" % line)
        d = {}
        for f in facts.split(";"):
            if "=" in f:
                k, _, v = f.partition("=")
                d[k.lower()] = v
        out[name] = d
    return out


def on_disk_path(name):
    path = os.path.join(SERVER_DIR, "root", WRITABLE_DIR.strip("/"), name)
    return path if os.path.isdir(os.path.dirname(path)) else None


def run(name, port, ports, verbose):
    """The flow against one server; returns the summary dict (raises Failure)."""
    tag = "%s-%d-%d-%s" % (name, os.getpid(), int(time.time()), os.urandom(3).hex())
    fname = "check-rw-%s.bin" % tag
    renamed = fname + ".renamed"
    dname = "check-rw-dir-%s" % tag
    created = set()  # (kind, name) to clean up
    info = {}
    payload = os.urandom(FILE_SIZE)
    # Bytes a text-mode conversion would change: CR, LF, CRLF, LF CR.
    payload = b"\r\n\n\r\r" + payload[5:]
    extra = os.urandom(APPEND_SIZE)

    s = Session(name, port, ports, verbose)
    try:
        login(s)
        feat = features(s.cmd("FEAT", "211"))
        info["FEAT"] = ", ".join(feat) or "-"
        feat_names = {f.split(" ")[0].upper() for f in feat}
        info["EPSV in FEAT"] = "yes" if "EPSV" in feat_names else "no"
        info["PASV in FEAT"] = "yes" if "PASV" in feat_names else "no"

        pwd = s.cmd("PWD", "257")
        info["PWD"] = pwd
        s.cmd("CWD " + WRITABLE_DIR, "250")
        s.cmd("TYPE I", "200")

        # STOR over EPSV.
        created.add(("file", fname))
        p150, p226, _ = s.transfer("EPSV", "STOR " + fname, upload=payload)
        info["EPSV"] = "works"
        info["STOR 150"] = one_line(p150)
        info["STOR 226"] = one_line(p226)
        local = on_disk_path(fname)
        if local is not None:
            try:
                with open(local, "rb") as f:
                    if f.read() != payload:
                        raise Failure("%s on disk differs from what was uploaded" % local)
            except FileNotFoundError:
                raise Failure("the upload is not on disk as %s (renamed?)" % local)
            info["on disk"] = "same name, same bytes"

        n = size_of(s, fname)
        if n != FILE_SIZE:
            raise Failure("SIZE after STOR: %d, not %d" % (n, FILE_SIZE))

        # RETR over PASV.
        r150, r226, got = s.transfer("PASV", "RETR " + fname)
        if got != payload:
            raise Failure("RETR over PASV: %d bytes, not the %d uploaded" % (len(got), len(payload)))
        info["RETR 150"] = one_line(r150)
        m = re.search(r"\((\d+) bytes\)|([\d.]+) kbytes to download", r150)
        info["size in RETR 150"] = ("yes: %s" % m.group(0)) if m else "no"
        info["RETR 226"] = one_line(r226)

        # Resume from the middle.
        info["REST 350"] = s.cmd("REST %d" % HALF, "350")
        rr150, _, got = s.transfer("EPSV", "RETR " + fname)
        if got != payload[HALF:]:
            raise Failure("REST %d + RETR: %d bytes, not the second half" % (HALF, len(got)))
        info["REST+RETR 150"] = one_line(rr150)

        # APPE.
        a150, a226, _ = s.transfer("EPSV", "APPE " + fname, upload=extra)
        info["APPE 150"] = one_line(a150)
        info["APPE 226"] = one_line(a226)
        n = size_of(s, fname)
        if n != FILE_SIZE + APPEND_SIZE:
            raise Failure("SIZE after APPE: %d, not %d" % (n, FILE_SIZE + APPEND_SIZE))
        s.cmd("REST %d" % FILE_SIZE, "350")
        _, _, got = s.transfer("EPSV", "RETR " + fname)
        if got != extra:
            raise Failure("the appended bytes read back differ (%d bytes)" % len(got))

        # MLSD, or LIST where MLSD is not implemented.
        sock, _ = s.data_connection("EPSV")
        s.say("->", "MLSD")
        s.ftp.putcmd("MLSD")
        r = s.reply({"150", "125", "500", "502", "550"}, "MLSD")
        if r[0] == "1":
            data = bytearray()
            while True:
                chunk = sock.recv(65536)
                if not chunk:
                    break
                data += chunk
            sock.close()
            s.reply({"226", "250"}, "MLSD (final reply)")
            entries = parse_mlsd(bytes(data))
            e = entries.get(fname)
            if e is None:
                raise Failure("MLSD does not list %s: %r" % (fname, sorted(entries)))
            if e.get("type") != "file" or e.get("size") != str(FILE_SIZE + APPEND_SIZE):
                raise Failure("MLSD facts for %s: %r" % (fname, e))
            info["MLSD"] = "works, %s" % one_line(r)
        else:
            sock.close()
            info["MLSD"] = "refused: %r, LIST used" % r
            l150, _, data = s.transfer("EPSV", "LIST")
            lines = data.decode("utf-8", "replace").split("\r\n")
            hit = [l for l in lines if l.endswith(" " + fname)]
            if not hit or (" %d " % (FILE_SIZE + APPEND_SIZE)) not in hit[0]:
                raise Failure("LIST does not show %s with its size: %r" % (fname, lines))
            info["LIST 150"] = one_line(l150)

        # MDTM.
        r = s.cmd("MDTM " + fname, "213")
        info["MDTM"] = r
        m = re.fullmatch(r"213 (\d{14})(\.\d+)?", r)
        if not m:
            raise Failure("MDTM reply is not 213 YYYYMMDDHHMMSS[.sss]: %r" % r)
        info["MDTM format"] = "YYYYMMDDHHMMSS" + (
            ".%s" % ("s" * (len(m.group(2)) - 1)) if m.group(2) else " (no fraction)")
        t = calendar.timegm(time.strptime(m.group(1), "%Y%m%d%H%M%S"))
        if abs(t - time.time()) > MDTM_SLACK:
            raise Failure("MDTM %s is %+d s off this machine's UTC clock" % (m.group(1), t - time.time()))

        # Rename, delete.
        info["RNFR"] = s.cmd("RNFR " + fname, "350")
        created.add(("file", renamed))
        info["RNTO"] = s.cmd("RNTO " + renamed, "250")
        created.discard(("file", fname))
        if size_of(s, renamed) != FILE_SIZE + APPEND_SIZE:
            raise Failure("SIZE after RNTO is wrong")
        info["SIZE old name"] = s.cmd("SIZE " + fname, "550")
        info["DELE"] = s.cmd("DELE " + renamed, "250")
        created.discard(("file", renamed))

        # Directory.
        created.add(("dir", dname))
        info["MKD"] = s.cmd("MKD " + dname, "257")
        info["RMD"] = s.cmd("RMD " + dname, "250")
        created.discard(("dir", dname))

        info["QUIT"] = one_line(s.quit())
        if local is not None:
            left = [n for n in os.listdir(os.path.dirname(local)) if tag in n]
            if left:
                raise Failure("left in %s: %r" % (os.path.dirname(local), left))
        # The names of this run as placeholders, so the lines compare.
        for k, v in info.items():
            info[k] = v.replace(renamed, "<file>.renamed").replace(fname, "<file>").replace(dname, "<dir>")
        return info
    finally:
        s.ftp.close()  # after QUIT: nothing left to close
        if created:
            cleanup(name, port, ports, created)


def cleanup(name, port, ports, created):
    """Delete what a failed run left, over a fresh connection."""
    try:
        s = Session(name, port, ports, False)
        login(s)
        s.cmd("CWD " + WRITABLE_DIR, "250")
        for kind, n in sorted(created):
            try:
                s.cmd(("DELE " if kind == "file" else "RMD ") + n, "250")
            except Failure:
                pass
        s.quit()
    except (Failure, OSError, EOFError, ftplib.Error) as e:
        print("%s: cleanup failed: %s (left: %s)" % (name, e, sorted(created)), file=sys.stderr)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    ap.add_argument("-v", "--verbose", action="store_true", help="print every command and reply")
    ap.add_argument("--server", action="append", choices=[s[0] for s in SERVERS],
                    help="only this server (repeatable)")
    args = ap.parse_args()
    failed = 0
    for name, env, default, ports in SERVERS:
        if args.server and name not in args.server:
            continue
        port = default
        try:
            port = control_port(env, default)
            started = time.monotonic()
            info = run(name, port, ports, args.verbose)
            took = time.monotonic() - started
            print("%s %s:%d OK (%.1fs): %s" % (
                name, HOST, port, took, "; ".join("%s=%r" % kv for kv in info.items())))
        except (Failure, OSError, EOFError, ftplib.Error) as e:
            failed += 1
            print("%s %s:%d FAILED: %s: %s" % (name, HOST, port, type(e).__name__, e))
        sys.stdout.flush()
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
