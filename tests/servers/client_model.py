#!/usr/bin/env python3
"""An independent model of examples/client.rs, written from its documentation
alone (the //! header, --help and README.md), a scripted FTP server, and a
runner that compares the real client with the model.

    python3 tests/servers/client_model.py [--client PATH] [--seed N] [--count N]

(a) `model_url(arg)` predicts, for one URL (bytes), the command lines the
    client sends (USER/PASS, CWD..., TYPE, EPSV, RETR/LIST/NLST), or that it
    refuses the URL before connecting (exit status).
(b) `Server` is a scripted FTP server on 127.0.0.1 (and ::1), ports
    2300-2399, answering as a scenario says and recording every command line
    received and every data byte served.
(c) `main` runs the client for hand-written edge cases of every documented
    rule, for generated URLs, and for server scenarios, and prints every
    divergence between the program and the model (commands, stdout, exit
    status, documented standard-error lines).

Standard library only. Cases whose result the documentation does not let a
reader predict are marked `unknown`: they are run and their outcome printed,
not judged. Rules the docs do not state but the program follows (an empty
user with a password, `;TYPE=I`, an empty port, ...) are modelled as
observed and counted under "rules the docs do not state".

The first run (session 57) found one divergence: the header did not say
that dot segments are taken out before `;type=` is read, so that
`ftp://h/..;type=d` sends `CWD ..` and `ftp://h/a/..;type=i` sends `CWD a`,
`RETR ..`; the header says so now, and the model follows it.
"""

import errno
import os
import random
import re
import socket
import subprocess
import sys
import threading
import time

CTL_PORT = 2300
DATA_PORTS = list(range(2301, 2390))
DEAD_PORT = 2399  # nothing listens here
HEX = b"0123456789abcdefABCDEF"

# ---------------------------------------------------------------------------
# (a) the model of the URL rules


class Refused(Exception):
    def __init__(self, rc, why):
        super().__init__(why)
        self.rc = rc
        self.why = why


def pct_check(part, what):
    """A `%` must be followed by two hex digits (else refused, exit 1)."""
    i = 0
    while i < len(part):
        if part[i] == 0x25:
            if i + 2 >= len(part):
                raise Refused(1, f"bad % in {what}")
            if part[i + 1] not in HEX or part[i + 2] not in HEX:
                raise Refused(1, f"bad % in {what}")
            i += 3
        else:
            i += 1


def pct_decode(part, what):
    pct_check(part, what)
    out = bytearray()
    i = 0
    while i < len(part):
        if part[i] == 0x25:
            out.append(int(part[i + 1:i + 3], 16))
            i += 3
        else:
            out.append(part[i])
            i += 1
    out = bytes(out)
    for bad in (b"\r", b"\n", b"\0"):
        if bad in out:
            raise Refused(1, f"%0D/%0A/%00 in {what}")
    return out


def remove_dot_segments(path):
    """RFC 3986 5.2.4, on the raw path (dots written as they are only)."""
    inp = path
    out = b""
    while inp:
        if inp.startswith(b"../"):
            inp = inp[3:]
        elif inp.startswith(b"./"):
            inp = inp[2:]
        elif inp.startswith(b"/./"):
            inp = b"/" + inp[3:]
        elif inp == b"/.":
            inp = b"/"
        elif inp.startswith(b"/../"):
            inp = b"/" + inp[4:]
            k = out.rfind(b"/")
            out = out[:k] if k >= 0 else b""
        elif inp == b"/..":
            inp = b"/"
            k = out.rfind(b"/")
            out = out[:k] if k >= 0 else b""
        elif inp in (b".", b".."):
            inp = b""
        else:
            start = 1 if inp.startswith(b"/") else 0
            k = inp.find(b"/", start)
            if k < 0:
                k = len(inp)
            out += inp[:k]
            inp = inp[k:]
    return out


def wire(arg):
    """What a command argument looks like on the wire: 255 doubled."""
    return arg.replace(b"\xff", b"\xff\xff")


def model_url(arg):
    """Predict, for one URL (bytes), a dict:
    refused: exit status if refused before connecting, else None
    host, port, commands (list of bytes lines, before the transfer's QUIT),
    kind: 'retr' | 'list' | 'nlst', type: b'I' | b'A' | None,
    unknown: list of reasons the docs do not settle this case."""
    unknown = []
    silent = []  # rules the docs do not state; the observed behaviour is modelled
    r = {"unknown": unknown, "silent": silent, "refused": None}
    try:
        for b in arg:
            if b < 0x20 or b == 0x7F:
                raise Refused(1, "control byte in URL")
        if not arg[:6].lower() == b"ftp://":
            silent.append("scheme is not ftp://: exit 1 (observed), not the usage error 2")
            raise Refused(1, "not ftp")
        rest = arg[6:]
        m = re.match(rb"[^/?#]*", rest)
        authority = m.group(0)
        tail = rest[len(authority):]
        cut = min([i for i in (tail.find(b"?"), tail.find(b"#")) if i >= 0], default=len(tail))
        dropped = tail[cut:]
        tail = tail[:cut]
        if b"%" in dropped:
            try:
                pct_check(dropped, "query")
            except Refused:
                silent.append("a bad % in a dropped ?query/#fragment is not refused (observed)")
        path = tail[1:] if tail.startswith(b"/") else tail
        # userinfo
        if b"@" in authority:
            # The header: the user info ends at the last @.
            userinfo, hostport = authority.rsplit(b"@", 1)
            if b":" in userinfo:
                u, p = userinfo.split(b":", 1)
                has_pass = True
            else:
                u, p, has_pass = userinfo, b"", False
        else:
            u, p, has_pass, hostport = b"", b"", False, authority
        user = pct_decode(u, "user")
        pw = pct_decode(p, "password")
        # host and port
        if hostport.startswith(b"["):
            k = hostport.find(b"]")
            if k < 0:
                silent.append("unclosed [: exit 1 (observed)")
                raise Refused(1, "bad host")
            host = hostport[1:k]
            after = hostport[k + 1:]
            if after and not after.startswith(b":"):
                raise Refused(1, "junk after ]")
            portpart = after[1:] if after else None
            if b"%" in host:
                host = host.replace(b"%25", b"%")
                zone = host.split(b"%", 1)[1]
                if not zone.isdigit() and not host.lower().startswith((b"fe80:", b"ff02:")):
                    raise Refused(1, "glibc takes a zone name for a link-local address only")
        else:
            if b":" in hostport:
                host, portpart = hostport.rsplit(b":", 1)
            else:
                host, portpart = hostport, None
            if b"%" in host:
                silent.append("a percent-escape in a host name is not decoded (observed)")
        if not host:
            silent.append("empty host: exit 1 (observed)")
            raise Refused(1, "empty host")
        if portpart is None:
            port = 21
        else:
            if portpart == b"":
                silent.append("an empty port after ':' is port 21 (observed; the docs say a port is digits)")
                portpart = b"21"
            if not portpart.isdigit() or not (1 <= int(portpart) <= 65535):
                raise Refused(1, "bad port")
            port = int(portpart)
        r["host"], r["port"] = host, port
        # dot segments, on the raw path, "/" + path, "and before `;type=`
        # is read ...: a `.` or `..` that the typecode ends is a name"
        resolved = remove_dot_segments(b"/" + path)
        # ;type=
        typecode = None
        m = re.search(rb";type=(.)$", resolved, re.I)
        if m:
            if m.group(0)[:6] != b";type=" or m.group(1) not in b"aid":
                silent.append(";type= is read in any case; another letter stays in the name (observed)")
            typecode = m.group(1).lower()
            if typecode in (b"a", b"i", b"d"):
                resolved = resolved[:m.start()]
            else:
                typecode = None
        segs = resolved[1:].split(b"/") if resolved.startswith(b"/") else resolved.split(b"/")
        segs = [pct_decode(s, "path") for s in segs]
        for s in segs:
            pass
        # the raw segments again for "first segment empty" (before decoding)
        rawsegs = (resolved[1:] if resolved.startswith(b"/") else resolved).split(b"/")
        if typecode == b"d":
            dirs_raw, last = rawsegs, None
            dirs = segs
        else:
            dirs_raw, last = rawsegs[:-1], segs[-1]
            dirs = segs[:-1]
        cwds = []
        for i, (raw, d) in enumerate(zip(dirs_raw, dirs)):
            if raw == b"":
                if i == 0 and len(rawsegs) >= 2:
                    cwds.append(b"/")
                continue
            cwds.append(d)
        # login
        if user == b"":
            user_l, pass_l = b"anonymous", b"anonymous@"
            if has_pass and pw != b"":
                silent.append("empty user with a password: USER anonymous, PASS that password (observed)")
                pass_l = pw
        elif not has_pass:
            if user.lower() in (b"anonymous", b"ftp"):
                if user not in (b"anonymous", b"ftp"):
                    silent.append("anonymous/ftp matched in any case (observed)")
                pass_l = b"anonymous@"
            else:
                pass_l = b""
            user_l = user
        else:
            user_l, pass_l = user, pw
            if pw == b"" and user.lower() in (b"anonymous", b"ftp"):
                silent.append("anonymous/ftp with an empty password (':') gets anonymous@ (observed)")
                pass_l = b"anonymous@"
        cmds = [b"USER " + wire(user_l), b"PASS " + wire(pass_l)]
        cmds += [b"CWD " + wire(c) for c in cwds]
        if typecode == b"d":
            kind, ty = "nlst", None
            tail_cmds = [b"EPSV", b"NLST"]
        elif last == b"":
            kind, ty = "list", None
            if typecode is not None:
                silent.append(";type=a/i on a directory: a plain LIST (observed)")
            tail_cmds = [b"EPSV", b"LIST"]
        else:
            kind = "retr"
            ty = b"A" if typecode == b"a" else b"I"
            tail_cmds = [b"TYPE " + ty, b"EPSV", b"RETR " + wire(last)]
        r.update(commands=cmds + tail_cmds, kind=kind, type=ty, name=last, cwds=cwds)
        return r
    except Refused as e:
        r["refused"] = e.rc
        r["why"] = e.why
        return r


# ---------------------------------------------------------------------------
# (b) the scripted server


def reply(s):
    return s if isinstance(s, bytes) else s.encode()


class Server:
    """One scripted session per `serve(scenario)`; listens on 127.0.0.1 and
    ::1 port 2300. A scenario is a dict; keys (all optional):
      greeting: bytes sent first (default 220)
      answers: {VERB: bytes} fixed answers to a command verb
      epsv: 'ok' | 'port0' | 'dead' | bytes (a fixed answer)
      transfer: list of steps run on RETR/LIST/NLST:
        ('ctl', bytes) ('accept',) ('data', bytes) ('dclose',) ('dreset',)
        ('sleep', s) ('ctl_close',) ('ctl_reset',) ('wait_quit',)
      quit: bytes answered to QUIT (default 221), None for no answer,
        'close' to close at once
    Records: commands (raw lines), served (data bytes), connected."""

    def __init__(self):
        global HAVE_V6
        self.listeners = []
        for fam, addr in ((socket.AF_INET, "127.0.0.1"), (socket.AF_INET6, "::1")):
            try:
                s = socket.socket(fam, socket.SOCK_STREAM)
                s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
                s.bind((addr, CTL_PORT))
            except OSError as e:
                # A machine with no IPv6 loopback (IPv6 turned off, or no
                # ::1 on lo): the IPv6 cases are not run, and the summary
                # says how many (see `v6_skipped`). Any other error (the
                # port taken) stops the run.
                if fam != socket.AF_INET6 or e.errno not in (errno.EADDRNOTAVAIL, errno.EAFNOSUPPORT):
                    raise
                print(f"client_model: no IPv6 loopback ({e}): the cases that connect over IPv6 are not run")
                HAVE_V6 = False
                continue
            s.listen(4)
            s.settimeout(0.2)
            self.listeners.append(s)
        self.next_port = 0

    def data_listener(self, fam, addr):
        for _ in range(len(DATA_PORTS)):
            port = DATA_PORTS[self.next_port % len(DATA_PORTS)]
            self.next_port += 1
            s = socket.socket(fam, socket.SOCK_STREAM)
            s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            try:
                s.bind((addr, port))
            except OSError:
                s.close()
                continue
            s.listen(1)
            s.settimeout(8)
            return s, port
        raise RuntimeError("no data port")

    def serve(self, scenario, stop):
        self.commands = []
        self.served = b""
        self.connected = False
        self.events = []
        conn = None
        while not stop.is_set() and conn is None:
            for l in self.listeners:
                try:
                    conn, _ = l.accept()
                    break
                except socket.timeout:
                    continue
        if conn is None:
            return
        self.connected = True
        try:
            self.session(conn, scenario, stop)
        except (OSError, socket.timeout) as e:
            self.events.append("server: " + repr(e))
        finally:
            try:
                conn.close()
            except OSError:
                pass
            if getattr(self, "dl", None):
                self.dl.close()
                self.dl = None

    def session(self, conn, sc, stop):
        conn.settimeout(40)
        self.conn = conn
        fam = conn.family
        local = conn.getsockname()[0]
        self.dl = None
        dconn = None
        conn.sendall(sc.get("greeting", b"220 scripted\r\n"))
        buf = b""
        answers = sc.get("answers", {})
        while not stop.is_set():
            while b"\r\n" not in buf:
                try:
                    chunk = conn.recv(65536)
                except socket.timeout:
                    return
                if not chunk:
                    return
                buf += chunk
            line, buf = buf.split(b"\r\n", 1)
            self.commands.append(line)
            verb = line.split(b" ", 1)[0].upper()
            if verb in answers:
                a = answers[verb]
                if callable(a):
                    a = a(line, self)
                if a == "close":
                    return
                if isinstance(a, tuple) and a[0] == "sleep":
                    time.sleep(a[1])
                    a = a[2]
                conn.sendall(a)
                continue
            if verb == b"USER":
                conn.sendall(b"331 password please\r\n")
            elif verb == b"PASS":
                conn.sendall(b"230 logged in\r\n")
            elif verb == b"CWD":
                conn.sendall(b"250 ok\r\n")
            elif verb == b"TYPE":
                conn.sendall(b"200 type set\r\n")
            elif verb == b"EPSV":
                mode = sc.get("epsv", "ok")
                if mode == "ok":
                    if self.dl:
                        self.dl.close()
                    self.dl, port = self.data_listener(fam, local)
                    conn.sendall(b"229 Entering Extended Passive Mode (|||%d|)\r\n" % port)
                elif mode == "port0":
                    conn.sendall(b"229 Entering Extended Passive Mode (|||0|)\r\n")
                elif mode == "dead":
                    conn.sendall(b"229 Entering Extended Passive Mode (|||%d|)\r\n" % DEAD_PORT)
                else:
                    conn.sendall(mode)
            elif verb == b"PASV":
                if self.dl:
                    self.dl.close()
                self.dl, port = self.data_listener(fam, local)
                ip = sc.get("pasv_ip", "127,0,0,1")
                conn.sendall(b"227 Entering Passive Mode (%s,%d,%d)\r\n" % (ip.encode(), port >> 8, port & 255))
            elif verb in (b"RETR", b"LIST", b"NLST"):
                steps = sc.get("transfer")
                if steps is None:
                    content = sc.get("content")
                    if content is None:
                        content = b"DATA:" + line + b"\n" if verb == b"RETR" else b"one\r\ntwo\r\n"
                    size = b" (%d bytes)" % len(content) if verb == b"RETR" else b""
                    steps = [("ctl", b"150 opening" + size + b"\r\n"), ("accept",), ("data", content),
                             ("dclose",), ("ctl", b"226 done\r\n")]
                for st in steps:
                    op = st[0]
                    if op == "ctl":
                        conn.sendall(st[1])
                    elif op == "accept":
                        dconn, _ = self.dl.accept()
                    elif op == "data":
                        try:
                            dconn.sendall(st[1])
                            self.served += st[1]
                        except OSError as e:
                            self.events.append("data send: " + repr(e))
                    elif op == "dclose":
                        dconn.close()
                    elif op == "dreset":
                        dconn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\0\0\0\0\0\0\0")
                        dconn.close()
                    elif op == "sleep":
                        time.sleep(st[1])
                    elif op == "ctl_close":
                        return
                    elif op == "ctl_reset":
                        conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\0\0\0\0\0\0\0")
                        return
                    elif op == "wait_quit":
                        pass
            elif verb == b"QUIT":
                q = sc.get("quit", b"221 bye\r\n")
                if q == "close":
                    return
                if q is None:
                    time.sleep(sc.get("quit_silence", 8))
                    return
                if isinstance(q, tuple):
                    time.sleep(q[0])
                    q = q[1]
                conn.sendall(q)
                return
            else:
                conn.sendall(b"502 not implemented\r\n")


# ---------------------------------------------------------------------------
# (c) the runner

CLIENT = "target/debug/examples/client"
MATCH = None
HAVE_V6 = True


def v6_skipped(url):
    """True (and counted) for a URL that connects to an IPv6 address on a
    machine with no IPv6 loopback."""
    if HAVE_V6 or b"[" not in url:
        return False
    RESULTS["v6_skipped"] += 1
    return True


def run_client(server, url, scenario, env=None, timeout=60):
    stop = threading.Event()
    t = threading.Thread(target=server.serve, args=(scenario, stop))
    t.start()
    e = dict(os.environ)
    if env:
        e.update(env)
    t0 = time.time()
    try:
        p = subprocess.run([CLIENT.encode(), url] if isinstance(url, bytes) else [CLIENT] + url,
                           capture_output=True, timeout=timeout, env=e)
        rc, out, err = p.returncode, p.stdout, p.stderr
    except subprocess.TimeoutExpired as ex:
        rc, out, err = "timeout", ex.stdout or b"", ex.stderr or b""
    took = time.time() - t0
    stop.set()
    t.join()
    return dict(rc=rc, out=out, err=err, cmds=list(server.commands), connected=server.connected,
                served=server.served, took=took, events=server.events)


RESULTS = {"runs": 0, "divergences": [], "unknown": [], "silent": {}, "v6_skipped": 0}


def record(name, url, scenario_name, problems, res, unknown=None):
    RESULTS["runs"] += 1
    entry = dict(name=name, url=url, scenario=scenario_name, problems=problems,
                 rc=res["rc"], cmds=res["cmds"], out=res["out"][:200],
                 err_tail=res["err"][-600:], unknown=unknown or [])
    if unknown:
        RESULTS["unknown"].append(entry)
    elif problems:
        RESULTS["divergences"].append(entry)


def expected_default_out(m):
    if m["kind"] == "retr":
        return b"DATA:RETR " + wire(m["name"]) + b"\n"
    return b"one\ntwo\n"


def is_local(host):
    import ipaddress
    if host == b"localhost":
        return True
    try:
        return ipaddress.ip_address(host.split(b"%")[0].decode()).is_loopback
    except ValueError:
        return False


def check_url(server, url, name="url"):
    """Run a URL against the default (well-behaved) scenario and compare."""
    m = model_url(url)
    if m["refused"] is None and v6_skipped(url):
        return None
    res = run_client(server, url, {})
    problems = []
    if m["refused"] is not None:
        if res["rc"] != m["refused"]:
            problems.append(f"exit {res['rc']} != predicted refusal {m['refused']} ({m['why']})")
        if res["connected"]:
            problems.append("connected although the model refuses the URL")
    else:
        if m["port"] != CTL_PORT or not is_local(m["host"]):
            # predicted to fail at connect
            if res["rc"] != 1:
                problems.append(f"exit {res['rc']} != 1 (no server there)")
        else:
            want = m["commands"] + [b"QUIT"]
            if res["cmds"] != want:
                problems.append(f"commands {res['cmds']!r} != {want!r}")
            if res["rc"] != 0:
                problems.append(f"exit {res['rc']} != 0")
            if res["rc"] == 0 and res["out"] != expected_default_out(m):
                problems.append(f"stdout {res['out'][:100]!r} != {expected_default_out(m)!r}")
            if b"PASS" in m["commands"][1] and len(m["commands"][1]) > 6:
                secret = m["commands"][1][5:]
                if len(secret) >= 4 and (b"-> PASS " + secret) in res["err"]:
                    problems.append("password not masked on stderr")
    record(name, url, "default", problems, res, m["unknown"] or None)
    for note in m["silent"]:
        RESULTS["silent"][note] = RESULTS["silent"].get(note, 0) + 1
    return problems


H = b"ftp://127.0.0.1:2300"
H6 = b"ftp://[::1]:2300"

HAND_URLS = [
    # login
    H + b"/f", b"ftp://@127.0.0.1:2300/f", b"ftp://u@127.0.0.1:2300/f", b"ftp://u:@127.0.0.1:2300/f",
    b"ftp://u:p@127.0.0.1:2300/f", b"ftp://anonymous@127.0.0.1:2300/f", b"ftp://ftp@127.0.0.1:2300/f",
    b"ftp://ANONYMOUS@127.0.0.1:2300/f", b"ftp://Ftp@127.0.0.1:2300/f", b"ftp://anonymous:@127.0.0.1:2300/f",
    b"ftp://anonymous:x@127.0.0.1:2300/f", b"ftp://:pw@127.0.0.1:2300/f", b"ftp://:@127.0.0.1:2300/f",
    b"ftp://u%3Av:p%40q@127.0.0.1:2300/f", b"ftp://u%20x:p%22@127.0.0.1:2300/f", b"ftp://a@b@127.0.0.1:2300/f",
    b"ftp://u:p:q@127.0.0.1:2300/f", b"ftp://%61nonymous@127.0.0.1:2300/f", b"ftp://u%FF:p%ff@127.0.0.1:2300/f",
    b"ftp://u%0D@127.0.0.1:2300/f", b"ftp://u:%0A@127.0.0.1:2300/f", b"ftp://u%00@127.0.0.1:2300/f",
    b"ftp://u%@127.0.0.1:2300/f", b"ftp://u:p%4@127.0.0.1:2300/f", b"ftp://u%09:p%7F@127.0.0.1:2300/f",
    # path, CWD per segment
    H + b"/a/b/f", H + b"//etc/motd", H + b"/a//b/f", H + b"///f", H + b"//", H + b"/%2F/", H + b"/%2F",
    H + b"/a%2Fb/f", H + b"/", H, H + b"/a/b/", H + b"/a//", H + b"////", H + b"/%2F%2F/f",
    # dot segments
    H + b"/a/../f", H + b"/a/.", H + b"/a/./f", H + b"/../f", H + b"/../../a/f", H + b"/%2E%2E/f",
    H + b"/.%2E/f", H + b"/%2e/f", H + b"/..", H + b"/.", H + b"/a/..", H + b"/a/b/../../f", H + b"//../f",
    H + b"//..", H + b"/a/.../f", H + b"/..a/f", H + b"/a/..;type=i", H + b"/a/.;type=d",
    # percent
    H + b"/100%", H + b"/a%2", H + b"/a%zz", H + b"/%25", H + b"/a%20b", H + b"/%22q%22", H + b"/%0D",
    H + b"/%0a", H + b"/d%00/f", H + b"/a%3Fb", H + b"/a%23b", H + b"/%ff", H + b"/caf%e9", H + b"/%09",
    H + b"/%7f", H + b"/%01x",
    # raw control bytes
    H + b"/a\tb", H + b"/a\x7fb", H + b"/\x01", b"ftp://u\t@127.0.0.1:2300/f", H + b"/f?\tq",
    # raw non-ASCII (not UTF-8, and UTF-8)
    H + b"/caf\xe9", H + b"/\xff", H + b"/d\xe9/f\xff", H + "/ü".encode(), H + b"/\x85x", H + b"/a b",
    # query and fragment
    H + b"/f?x=1", H + b"/f#frag", H + b"/d/?q", H + b"/f#a?b", H + b"/f?a#b", H + b"?q", H + b"#f",
    H + b"/f?100%", H + b"/f#%zz", b"ftp://127.0.0.1:2300?x/f",
    # ;type=
    H + b"/f;type=i", H + b"/f;type=a", H + b"/d;type=d", H + b"/a/b;type=d", H + b"/a/b/;type=d",
    H + b";type=d", H + b"/;type=d", H + b"/f;type=x", H + b"/f;TYPE=I", H + b"/f;type=A",
    H + b"/d/;type=a", H + b"/d/;type=i", H + b"/f;type=i?x", H + b"/f%3Btype=i", H + b"/f;type=ii",
    # scheme
    b"FTP://127.0.0.1:2300/f", b"Ftp://127.0.0.1:2300/f", b"http://127.0.0.1:2300/f", b"ftps://127.0.0.1:2300/f",
    b"ftp:/127.0.0.1:2300/f", b"127.0.0.1:2300/f",
    # host and port
    H6 + b"/f", b"ftp://[::1%251]:2300/f", b"ftp://[0:0:0:0:0:0:0:1]:2300/f", b"ftp://localhost:2300/f",
    b"ftp://127.0.0.1:02300/f", b"ftp://127.0.0.1:0/f", b"ftp://127.0.0.1:65536/f", b"ftp://127.0.0.1:-1/f",
    b"ftp://127.0.0.1:+2300/f", b"ftp://127.0.0.1:/f", b"ftp://127.0.0.1:23a/f", b"ftp:///f", b"ftp://:2300/f",
    b"ftp://[::1/f", b"ftp://[::1]x/f", b"ftp://127.0.0.%31:2300/f", b"ftp://127.0.0.1:2300:2300/f",
    b"ftp://[::1]:/f", b"ftp://u:p@[::1]:2300/d/", b"ftp://[::1%25lo]:2300/f", b"ftp://[::1%25]:2300/f",
    b"ftp://[::1%2]:2300/f", b"ftp://[::1%251]:2300/d/", H + b"/..;type=d", H + b"/a/..;type=i",
    H + b"/../..;type=a", H + b"/.;type=d", b"ftp://127.0.0.1:99999999999999999999/f",
]


def gen_urls(rng, n):
    pieces = [b"a", b"b", b"", b".", b"..", b"%2E", b"%2E%2E", b"%2F", b"%20", b"x y", b"%25", b"%ff",
              b"\xe9", b"\xff", b"%C3%A9", b"%3B", b";", b"=", b"%3F", b"q%22", b"~", b"%7E", b"%09", b"+",
              b"%", b"%0d", b"%0", b"%00x"]
    users = [None, b"", b"u", b"anonymous", b"ftp", b"u%40h", b"u%3A", b"%ff", b"\xe9", b"u%", b"us%0A"]
    pws = [None, b"", b"p", b"p%40", b"%3A%2F", b"\xff", b"p%zz", b"%20"]
    out = []
    for _ in range(n):
        u = rng.choice(users)
        p = rng.choice(pws) if u is not None else None
        auth = b""
        if u is not None:
            auth = u + (b":" + p if p is not None else b"") + b"@"
        host = rng.choice([b"127.0.0.1:2300", b"[::1]:2300", b"localhost:2300"])
        segs = [rng.choice(pieces) for _ in range(rng.randint(0, 4))]
        path = b"/".join(segs)
        if rng.random() < 0.3:
            path += b"/"
        if rng.random() < 0.15:
            path += rng.choice([b";type=a", b";type=i", b";type=d"])
        if rng.random() < 0.1:
            path += rng.choice([b"?q=1", b"#f", b"?a#b"])
        scheme = rng.choice([b"ftp", b"FTP", b"fTp"])
        lead = b"/" if rng.random() < 0.9 else b"//"
        out.append(scheme + b"://" + auth + host + lead + path)
    return out


# Scenarios: (name, url, scenario, expectation). The expectation is written
# from the docs: commands (exact list or None), stdout, exit, stderr needles,
# and max seconds.
def ok150(n):
    return b"150 opening (%d bytes)\r\n" % n


LOGIN = [b"USER anonymous", b"PASS anonymous@"]
RETR_F = LOGIN + [b"TYPE I", b"EPSV", b"RETR f"]
LIST_ = LOGIN + [b"EPSV", b"LIST"]

SCENARIOS = [
    ("plain", H + b"/f", {"content": b"hello\r\nx"}, dict(cmds=RETR_F + [b"QUIT"], out=b"hello\r\nx", rc=0)),
    ("multiline greeting", H + b"/f", {"greeting": b"220-a\r\n220-b\r\n220 c\r\n", "content": b"z"},
     dict(cmds=RETR_F + [b"QUIT"], out=b"z", rc=0)),
    ("120 then 220", H + b"/f", {"greeting": b"120 wait\r\n220 ok\r\n", "content": b"z"},
     dict(cmds=RETR_F + [b"QUIT"], out=b"z", rc=0)),
    ("greeting 230 sends no login", H + b"/f", {"greeting": b"230 in\r\n", "content": b"z"},
     dict(cmds=[b"TYPE I", b"EPSV", b"RETR f", b"QUIT"], out=b"z", rc=0)),
    ("greeting 200", H + b"/f", {"greeting": b"200 hi\r\n", "content": b"z"},
     dict(cmds=RETR_F + [b"QUIT"], out=b"z", rc=0)),
    ("greeting not a reply (SSH)", H + b"/f", {"greeting": b"SSH-2.0-OpenSSH\r\n"},
     dict(cmds=[], rc=1, maxt=5)),
    ("greeting 999", H + b"/f", {"greeting": b"999 x\r\n"}, dict(cmds=[], rc=1, maxt=5)),
    ("USER answered 230", H + b"/f", {"answers": {b"USER": b"230 no pass needed\r\n"}, "content": b"z"},
     dict(cmds=[b"USER anonymous", b"TYPE I", b"EPSV", b"RETR f", b"QUIT"], out=b"z", rc=0)),
    ("PASS 530", H + b"/f", {"answers": {b"PASS": b"530 no\r\n"}},
     dict(cmds=LOGIN + [b"QUIT"], out=b"", rc=1, err=[b"client: error:"])),
    ("PASS 332 ACCT", H + b"/f", {"answers": {b"PASS": b"332 acct\r\n", b"ACCT": b"230 ok\r\n"}},
     dict(cmds=None, rc=None)),
    ("CWD 550", H + b"/d/f", {"answers": {b"CWD": b"550 no such dir\r\n"}},
     dict(cmds=LOGIN + [b"CWD d", b"QUIT"], out=b"", rc=1)),
    ("TYPE 504", H + b"/f", {"answers": {b"TYPE": b"504 no\r\n"}},
     dict(cmds=LOGIN + [b"TYPE I", b"QUIT"], out=b"", rc=1)),
    ("RETR 550", H + b"/f", {"transfer": [("ctl", b"550 no\r\n")]},
     dict(cmds=RETR_F + [b"QUIT"], out=b"", rc=1)),
    ("data before 550 held", H + b"/f", {"transfer": [("accept",), ("data", b"secret"), ("dclose",),
                                                      ("sleep", 0.3), ("ctl", b"550 no\r\n")]},
     dict(cmds=RETR_F + [b"QUIT"], out=b"", rc=1)),
    ("data before 425 held", H + b"/f", {"transfer": [("accept",), ("data", b"secret"), ("sleep", 0.3),
                                                      ("ctl", b"425 no\r\n"), ("dclose",)]},
     dict(cmds=RETR_F + [b"QUIT"], out=b"", rc=1)),
    ("data before 150", H + b"/f", {"transfer": [("accept",), ("data", b"early"), ("dclose",), ("sleep", 0.3),
                                                 ("ctl", ok150(5)), ("ctl", b"226 ok\r\n")]},
     dict(cmds=RETR_F + [b"QUIT"], out=b"early", rc=0)),
    ("reset before 150, size right", H + b"/f", {"transfer": [("accept",), ("data", b"early"), ("sleep", 0.2),
                                                              ("dreset",), ("sleep", 0.3),
                                                              ("ctl", ok150(5)), ("ctl", b"226 ok\r\n")]},
     dict(cmds=RETR_F + [b"QUIT"], out=b"early", rc=0)),
    ("reset before 150, short", H + b"/f", {"transfer": [("accept",), ("data", b"early"), ("sleep", 0.2),
                                                         ("dreset",), ("sleep", 0.3),
                                                         ("ctl", ok150(9)), ("ctl", b"226 ok\r\n")]},
     dict(cmds=None, rc=1)),
    ("125 instead of 150", H + b"/f", {"transfer": [("ctl", b"125 go (3 bytes)\r\n"), ("accept",),
                                                    ("data", b"abc"), ("dclose",), ("ctl", b"226 ok\r\n")]},
     dict(cmds=RETR_F + [b"QUIT"], out=b"abc", rc=0)),
    ("N bytes to download", H + b"/f", {"transfer": [("ctl", b"150 3 bytes to download\r\n"), ("accept",),
                                                     ("data", b"abcd"), ("dclose",), ("ctl", b"226 ok\r\n")]},
     dict(cmds=None, out=b"abc", rc=1)),
    ("short vs 150 size", H + b"/f", {"transfer": [("ctl", ok150(10)), ("accept",), ("data", b"abc"),
                                                   ("dclose",), ("ctl", b"226 ok\r\n")]},
     dict(cmds=RETR_F + [b"QUIT"], out=b"abc", rc=1)),
    ("long vs 150 size", H + b"/f", {"transfer": [("ctl", ok150(3)), ("accept",), ("data", b"abcdef"),
                                                  ("dclose",), ("ctl", b"226 ok\r\n")]},
     dict(cmds=None, out=b"abc", rc=1)),
    ("long vs 150 size, held before 150", H + b"/f", {"transfer": [("accept",), ("data", b"abcdef"), ("dclose",),
                                                                   ("sleep", 0.3), ("ctl", ok150(3)),
                                                                   ("ctl", b"226 ok\r\n")]},
     dict(cmds=None, out=b"abc", rc=1)),
    ("ascii type not held to size", H + b"/f;type=a",
     {"transfer": [("ctl", ok150(4)), ("accept",), ("data", b"a\r\nb\r\nc\rd"), ("dclose",), ("ctl", b"226 ok\r\n")]},
     dict(cmds=LOGIN + [b"TYPE A", b"EPSV", b"RETR f", b"QUIT"], out=b"a\nb\nc\rd", rc=0)),
    ("binary keeps CRLF", H + b"/f;type=i", {"content": b"a\r\nb\r"},
     dict(cmds=RETR_F + [b"QUIT"], out=b"a\r\nb\r", rc=0)),
    ("listing CRLF to LF, lone CR kept", H + b"/",
     {"transfer": [("ctl", b"150 here\r\n"), ("accept",), ("data", b"x\r\ny\rz\r\n\r\n"), ("dclose",),
                   ("ctl", b"226 ok\r\n")]},
     dict(cmds=LIST_ + [b"QUIT"], out=b"x\ny\rz\n\n", rc=0)),
    ("CRLF split across reads", H + b"/",
     {"transfer": [("ctl", b"150 here\r\n"), ("accept",), ("data", b"x\r"), ("sleep", 0.3), ("data", b"\ny"),
                   ("dclose",), ("ctl", b"226 ok\r\n")]},
     dict(cmds=LIST_ + [b"QUIT"], out=b"x\ny", rc=0)),
    ("listing 450", H + b"/", {"transfer": [("ctl", b"450 No files found\r\n")]},
     dict(cmds=LIST_ + [b"QUIT"], out=b"", rc=0)),
    ("listing 450 after data", H + b"/", {"transfer": [("accept",), ("data", b"junk\r\n"), ("dclose",),
                                                      ("sleep", 0.3), ("ctl", b"450 none\r\n")]},
     dict(cmds=LIST_ + [b"QUIT"], out=b"", rc=0)),
    ("NLST 450", H + b"/d;type=d", {"transfer": [("ctl", b"450 none\r\n")]},
     dict(cmds=LOGIN + [b"CWD d", b"EPSV", b"NLST", b"QUIT"], out=b"", rc=0)),
    ("RETR 450", H + b"/f", {"transfer": [("ctl", b"450 busy\r\n")]},
     dict(cmds=RETR_F + [b"QUIT"], out=b"", rc=1)),
    ("listing 550", H + b"/", {"transfer": [("ctl", b"550 no\r\n")]},
     dict(cmds=LIST_ + [b"QUIT"], out=b"", rc=1)),
    ("250 ends transfer", H + b"/f", {"transfer": [("ctl", ok150(2)), ("accept",), ("data", b"ab"), ("dclose",),
                                                   ("ctl", b"250 ok\r\n")]},
     dict(cmds=RETR_F + [b"QUIT"], out=b"ab", rc=0)),
    ("226 before data end", H + b"/f", {"transfer": [("ctl", ok150(2)), ("accept",), ("ctl", b"226 ok\r\n"),
                                                     ("sleep", 0.3), ("data", b"ab"), ("dclose",)]},
     dict(cmds=RETR_F + [b"QUIT"], out=b"ab", rc=0)),
    ("200 does not end transfer", H + b"/f", {"transfer": [("ctl", ok150(2)), ("accept",), ("data", b"ab"),
                                                           ("dclose",), ("ctl", b"200 ok\r\n")]},
     dict(cmds=None, rc=1, env={"FTP_REPLY_CLIENT_TIMEOUT": "2"}, maxt=10)),
    ("reset after every byte", H + b"/f", {"transfer": [("ctl", ok150(3)), ("accept",), ("data", b"abc"),
                                                        ("sleep", 0.2), ("dreset",), ("ctl", b"226 ok\r\n")]},
     dict(cmds=RETR_F + [b"QUIT"], out=b"abc", rc=0)),
    ("held open after 226, all bytes", H + b"/f", {"transfer": [("ctl", ok150(3)), ("accept",), ("data", b"abc"),
                                                                ("ctl", b"226 ok\r\n"), ("sleep", 3)]},
     dict(cmds=RETR_F + [b"QUIT"], out=b"abc", rc=0, maxt=20)),
    ("reset before whole", H + b"/f", {"transfer": [("ctl", ok150(10)), ("accept",), ("data", b"abc"),
                                                    ("sleep", 0.2), ("dreset",), ("sleep", 1)]},
     dict(cmds=RETR_F, rc=1)),
    ("control closed before 226", H + b"/f", {"transfer": [("ctl", ok150(3)), ("accept",), ("data", b"abc"),
                                                           ("dclose",), ("ctl_close",)]},
     dict(cmds=RETR_F, rc=1)),
    ("no size, close, 226", H + b"/f", {"transfer": [("ctl", b"150 go\r\n"), ("accept",), ("data", b"abc"),
                                                     ("dclose",), ("ctl", b"226 ok\r\n")]},
     dict(cmds=RETR_F + [b"QUIT"], out=b"abc", rc=0)),
    ("EPSV 500 -> PASV", H + b"/f", {"epsv": b"500 what\r\n", "content": b"z"},
     dict(cmds=LOGIN + [b"TYPE I", b"EPSV", b"PASV", b"RETR f", b"QUIT"], out=b"z", rc=0)),
    ("EPSV 502 -> PASV", H + b"/f", {"epsv": b"502 no\r\n", "content": b"z"},
     dict(cmds=LOGIN + [b"TYPE I", b"EPSV", b"PASV", b"RETR f", b"QUIT"], out=b"z", rc=0)),
    ("EPSV 425 -> PASV", H + b"/f", {"epsv": b"425 no\r\n", "content": b"z"},
     dict(cmds=LOGIN + [b"TYPE I", b"EPSV", b"PASV", b"RETR f", b"QUIT"], out=b"z", rc=0)),
    ("EPSV 200 -> PASV", H + b"/f", {"epsv": b"200 whatever\r\n", "content": b"z"},
     dict(cmds=LOGIN + [b"TYPE I", b"EPSV", b"PASV", b"RETR f", b"QUIT"], out=b"z", rc=0)),
    ("EPSV port 0 -> PASV", H + b"/f", {"epsv": "port0", "content": b"z"},
     dict(cmds=LOGIN + [b"TYPE I", b"EPSV", b"PASV", b"RETR f", b"QUIT"], out=b"z", rc=0)),
    ("EPSV dead port -> PASV", H + b"/f", {"epsv": "dead", "content": b"z"},
     dict(cmds=LOGIN + [b"TYPE I", b"EPSV", b"PASV", b"RETR f", b"QUIT"], out=b"z", rc=0)),
    ("EPSV 421 closes", H + b"/f", {"epsv": b"421 bye\r\n"}, dict(cmds=LOGIN + [b"TYPE I", b"EPSV"], rc=1)),
    # README: "Like curl, which takes any answer to EPSV but an unreadable 229 as a reason to try PASV"
    ("EPSV 229 unreadable fails", H + b"/f", {"epsv": b"229 no address here\r\n", "content": b"z"},
     dict(cmds=LOGIN + [b"TYPE I", b"EPSV", b"QUIT"], out=b"", rc=1)),
    ("EPSV over IPv6", H6 + b"/f", {"content": b"six"},
     dict(cmds=RETR_F + [b"QUIT"], out=b"six", rc=0)),
    ("PASV elsewhere: warning, peer", H + b"/f", {"epsv": b"500 no\r\n", "pasv_ip": "10,9,8,7", "content": b"z"},
     dict(cmds=LOGIN + [b"TYPE I", b"EPSV", b"PASV", b"RETR f", b"QUIT"], out=b"z", rc=0, err=[b"warning"])),
    ("padded 229 block", H + b"/f", {"epsv": None, "content": b"z"}, None),  # filled in below
    ("QUIT 500 warning", H + b"/f", {"content": b"z", "quit": b"500 eh\r\n"},
     dict(cmds=RETR_F + [b"QUIT"], out=b"z", rc=0, err=[b"warning"])),
    ("QUIT 421 fine", H + b"/f", {"content": b"z", "quit": b"421 bye\r\n"},
     dict(cmds=RETR_F + [b"QUIT"], out=b"z", rc=0)),
    ("QUIT closed", H + b"/f", {"content": b"z", "quit": "close"},
     dict(cmds=RETR_F + [b"QUIT"], out=b"z", rc=0, err=[b"warning"])),
    ("QUIT never answered: <= 5 s", H + b"/f", {"content": b"z", "quit": None, "quit_silence": 9},
     dict(cmds=RETR_F + [b"QUIT"], out=b"z", rc=0, err=[b"warning"], mint=4.5, maxt=7)),
    ("QUIT after 550 never answered: <= 2 s", H + b"/f",
     {"transfer": [("ctl", b"550 no\r\n")], "quit": None, "quit_silence": 9},
     dict(cmds=RETR_F + [b"QUIT"], out=b"", rc=1, mint=1.5, maxt=4)),
    ("QUIT slow 221 in 1 s", H + b"/f", {"content": b"z", "quit": (1, b"221 bye\r\n")},
     dict(cmds=RETR_F + [b"QUIT"], out=b"z", rc=0)),
    ("421 at CWD, no QUIT", H + b"/d/f", {"answers": {b"CWD": b"421 going\r\n"}},
     dict(cmds=LOGIN + [b"CWD d"], rc=1)),
    ("421 in place of 150, no QUIT", H + b"/f", {"transfer": [("ctl", b"421 bye\r\n")]},
     dict(cmds=RETR_F, rc=1)),
    ("421 after 150", H + b"/f", {"transfer": [("ctl", ok150(5)), ("accept",), ("data", b"ab"), ("ctl", b"421 x\r\n"),
                                               ("sleep", 0.5)]},
     dict(cmds=RETR_F, rc=1)),
    ("999 to CWD fails", H + b"/d/f", {"answers": {b"CWD": b"999 x\r\n"}}, dict(cmds=None, rc=1)),
    ("prose line skipped", H + b"/f", {"answers": {b"TYPE": b"hello there\r\n\r\n200 ok\r\n"}, "content": b"z"},
     # N is the line's offset in the control connection's bytes (50 here), not in the line
     dict(cmds=RETR_F + [b"QUIT"], out=b"z", rc=0, err=[b"<- (not a reply: invalid reply code at byte 50)"])),
    ("multiline 226 ended by 250 line times out", H + b"/f",
     {"transfer": [("ctl", ok150(1)), ("accept",), ("data", b"z"), ("dclose",), ("ctl", b"226-a\r\n250 done\r\n")]},
     dict(cmds=RETR_F, rc=1, env={"FTP_REPLY_CLIENT_TIMEOUT": "2"}, mint=1.5, maxt=8)),
    ("RFC 959 multiline example", H + b"/f",
     {"answers": {b"TYPE": b"200-First line\r\nSecond line\r\n 234 A line beginning with numbers\r\n"
                            b"234 A line\r\n200 The last line\r\n"}, "content": b"z"},
     dict(cmds=RETR_F + [b"QUIT"], out=b"z", rc=0)),
    ("telnet IAC in replies", H + b"/f",
     {"greeting": b"\xff\xfb\x01220 hi\xff\xf1\r\n", "answers": {b"TYPE": b"200 o\0k\r\n"}, "content": b"z"},
     dict(cmds=RETR_F + [b"QUIT"], out=b"z", rc=0)),
    ("slow replies within limit", H + b"/f",
     {"answers": {b"TYPE": ("sleep", 1.5, b"200 ok\r\n"), b"PASS": ("sleep", 1.5, b"230 ok\r\n")}, "content": b"z"},
     dict(cmds=RETR_F + [b"QUIT"], out=b"z", rc=0, env={"FTP_REPLY_CLIENT_TIMEOUT": "2"})),
    ("reply too slow times out, no QUIT", H + b"/f", {"answers": {b"TYPE": ("sleep", 4, b"200 ok\r\n")}},
     dict(cmds=LOGIN + [b"TYPE I"], rc=1, env={"FTP_REPLY_CLIENT_TIMEOUT": "2"}, mint=1.5, maxt=5)),
    ("silent data after 150 times out", H + b"/f",
     {"transfer": [("ctl", ok150(5)), ("accept",), ("data", b"ab"), ("sleep", 5)]},
     dict(cmds=RETR_F, rc=1, env={"FTP_REPLY_CLIENT_TIMEOUT": "2"}, maxt=6)),
    ("data without 150 times out", H + b"/f",
     {"transfer": [("accept",)] + [("data", b"x" * 1000), ("sleep", 0.25)] * 16},
     dict(cmds=RETR_F, rc=1, env={"FTP_REPLY_CLIENT_TIMEOUT": "2"}, maxt=6)),
    ("over 1 MiB before 150 is written as it comes", H + b"/f",
     {"transfer": [("accept",), ("data", b"y" * (1 << 20) + b"y" * 10), ("dclose",), ("sleep", 0.3),
                   ("ctl", b"550 no\r\n")]},
     dict(cmds=RETR_F + [b"QUIT"], rc=1, outlen=(1 << 20) + 10)),
    ("450 listing after > 1 MiB fails", H + b"/",
     {"transfer": [("accept",), ("data", b"y" * (1 << 20) + b"y" * 10), ("dclose",), ("sleep", 0.3),
                   ("ctl", b"450 none\r\n")]},
     dict(cmds=LIST_ + [b"QUIT"], rc=1, outlen=(1 << 20) + 10)),
    ("reply over 64 KiB (229 padded) is cut -> fails", H + b"/f",
     {"epsv": b"229-" + b"p" * 70000 + b"\r\n229 Entering Extended Passive Mode (|||2399|)\r\n"},
     dict(cmds=None, rc=1)),
    ("CWD %2F and non-UTF-8 on the wire", H + b"/%2F/caf\xe9/%ff", {"content": b"z"},
     dict(cmds=LOGIN + [b"CWD /", b"CWD caf\xe9", b"TYPE I", b"EPSV", b"RETR \xff\xff", b"QUIT"], out=b"z", rc=0)),
    ("timeout env 10^9+1 ?", H + b"/f", {"content": b"z"},
     dict(cmds=None, rc=None, env={"FTP_REPLY_CLIENT_TIMEOUT": "1000000001"})),
    ("timeout env 0 ?", H + b"/f", {"content": b"z"}, dict(cmds=None, rc=None, env={"FTP_REPLY_CLIENT_TIMEOUT": "0"})),
    ("timeout env junk ?", H + b"/f", {"content": b"z"},
     dict(cmds=None, rc=None, env={"FTP_REPLY_CLIENT_TIMEOUT": "abc"})),
    ("listing short vs 150 size is not checked", H + b"/",
     {"transfer": [("ctl", b"150 here (100 bytes)\r\n"), ("accept",), ("data", b"a\r\n"), ("dclose",),
                   ("ctl", b"226 ok\r\n")]},
     dict(cmds=LIST_ + [b"QUIT"], out=b"a\n", rc=0)),
    ("held open after 226, bytes missing -> data timeout", H + b"/f",
     {"transfer": [("ctl", ok150(5)), ("accept",), ("data", b"abc"), ("ctl", b"226 ok\r\n"), ("sleep", 4)]},
     dict(cmds=None, rc=1, env={"FTP_REPLY_CLIENT_TIMEOUT": "2"}, maxt=6)),
    ("held open after 226, no size ?", H + b"/f",
     {"transfer": [("ctl", b"150 go\r\n"), ("accept",), ("data", b"abc"), ("ctl", b"226 ok\r\n"), ("sleep", 4)]},
     dict(cmds=None, rc=None, env={"FTP_REPLY_CLIENT_TIMEOUT": "2"})),
    ("reset after 226, no size ?", H + b"/f",
     {"transfer": [("ctl", b"150 go\r\n"), ("accept",), ("data", b"abc"), ("ctl", b"226 ok\r\n"), ("sleep", 0.3),
                   ("dreset",)]},
     dict(cmds=None, rc=None)),
    ("reset with no size before 226 ?", H + b"/f",
     {"transfer": [("ctl", b"150 go\r\n"), ("accept",), ("data", b"abc"), ("sleep", 0.3), ("dreset",),
                   ("sleep", 0.3), ("ctl", b"226 ok\r\n")]},
     dict(cmds=None, rc=None)),
    ("undoubled 255 in a reply ends at LF", H + b"/d/f", {"answers": {b"CWD": b"550 caf\xff\n"}},
     dict(cmds=LOGIN + [b"CWD d", b"QUIT"], rc=1, maxt=3)),
    ("IAC IAC is 255 in a reply", H + b"/d/f", {"answers": {b"CWD": b"250 caf\xff\xff ok\r\n"}, "content": b"z"},
     dict(cmds=LOGIN + [b"CWD d", b"TYPE I", b"EPSV", b"RETR f", b"QUIT"], rc=0, out=b"z")),
    ("LF-only replies", H + b"/f",
     {"greeting": b"220 hi\n", "answers": {b"USER": b"331 p\n", b"PASS": b"230 ok\n", b"TYPE": b"200 ok\n"},
      "content": b"z"},
     dict(cmds=RETR_F + [b"QUIT"], rc=0, out=b"z")),
    ("CR NUL in a reply", H + b"/f", {"answers": {b"TYPE": b"200 a\r\0b\r\n"}, "content": b"z"},
     dict(cmds=RETR_F + [b"QUIT"], rc=0, out=b"z")),
    ("USER 331 then PASS slow, each its own timeout", H + b"/f",
     {"answers": {b"USER": ("sleep", 1.5, b"331 p\r\n"), b"PASS": ("sleep", 1.5, b"230 ok\r\n")}, "content": b"z"},
     dict(cmds=RETR_F + [b"QUIT"], rc=0, out=b"z", env={"FTP_REPLY_CLIENT_TIMEOUT": "2"})),
    ("name of 3,900 bytes fits", H + b"/" + b"n" * 3900, {"content": b"z"},
     dict(cmds=LOGIN + [b"TYPE I", b"EPSV", b"RETR " + b"n" * 3900, b"QUIT"], rc=0, out=b"z")),
    ("name of 5,000 bytes ?", H + b"/" + b"n" * 5000, {"content": b"z"}, dict(cmds=None, rc=None)),
    ("CWD of 5,000 bytes ?", H + b"/" + b"n" * 5000 + b"/f", {"content": b"z"}, dict(cmds=None, rc=None)),
    ("..;type=d ?", H + b"/..;type=d", {}, dict(cmds=None, rc=None)),
    ("a/..;type=i ?", H + b"/a/..;type=i", {}, dict(cmds=None, rc=None)),
    ("timeout env 0 with a 3 s reply ?", H + b"/f", {"answers": {b"TYPE": ("sleep", 3, b"200 ok\r\n")}, "content": b"z"},
     dict(cmds=None, rc=None, env={"FTP_REPLY_CLIENT_TIMEOUT": "0"})),
    ("timeout env junk with a 3 s reply ?", H + b"/f", {"answers": {b"TYPE": ("sleep", 3, b"200 ok\r\n")}, "content": b"z"},
     dict(cmds=None, rc=None, env={"FTP_REPLY_CLIENT_TIMEOUT": "abc"})),
    ("timeout env 1.5 ?", H + b"/f", {"answers": {b"TYPE": ("sleep", 3, b"200 ok\r\n")}, "content": b"z"},
     dict(cmds=None, rc=None, env={"FTP_REPLY_CLIENT_TIMEOUT": "1.5"})),
    ("stderr closed does not stop", H + b"/f", {"content": b"z"}, dict(cmds=RETR_F + [b"QUIT"], rc=0, out=b"z",
                                                                      stderr_closed=True)),
    ("stdout closed is /dev/null", H + b"/f", {"content": b"z"}, dict(cmds=RETR_F + [b"QUIT"], rc=0,
                                                                     stdout_closed=True)),
    ("150 (0 bytes), no data", H + b"/f", {"transfer": [("ctl", ok150(0)), ("accept",), ("dclose",),
                                                      ("ctl", b"226 ok\r\n")]},
     dict(cmds=RETR_F + [b"QUIT"], out=b"", rc=0)),
    ("150 size beyond u64 ?", H + b"/f", {"transfer": [("ctl", b"150 x (99999999999999999999999 bytes)\r\n"),
                                                       ("accept",), ("data", b"abc"), ("dclose",), ("ctl", b"226 ok\r\n")]},
     dict(cmds=None, rc=None)),
    ("226 with no 150 ?", H + b"/f", {"transfer": [("accept",), ("data", b"abc"), ("dclose",), ("ctl", b"226 ok\r\n")]},
     dict(cmds=None, rc=None)),
    ("unsolicited reply after greeting fails", H + b"/f", {"greeting": b"220 hi\r\n200 extra\r\n"},
     dict(cmds=None, rc=1, maxt=5)),
    ("endless control stream times out", H + b"/f",
     {"greeting": b"220 hi\r\n", "answers": {b"TYPE": lambda line, srv: endless(srv)}},
     dict(cmds=LOGIN + [b"TYPE I"], rc=1, env={"FTP_REPLY_CLIENT_TIMEOUT": "2"}, maxt=8)),
    ("greeting never comes", H + b"/f", {"greeting": b""},
     dict(cmds=[], rc=1, env={"FTP_REPLY_CLIENT_TIMEOUT": "2"}, mint=1.5, maxt=5)),
    ("IPv6 EPSV refused -> PASV to the peer", H6 + b"/f", {"epsv": b"502 no\r\n", "content": b"six"},
     dict(cmds=LOGIN + [b"TYPE I", b"EPSV", b"PASV", b"RETR f", b"QUIT"], out=b"six", rc=0)),
    ("data after a 550 not written", H + b"/f", {"transfer": [("ctl", b"550 no\r\n"), ("accept",),
                                                              ("data", b"late"), ("dclose",)]},
     dict(cmds=RETR_F + [b"QUIT"], out=b"", rc=1)),
    ("226 block with 226 inside", H + b"/f",
     {"transfer": [("ctl", ok150(1)), ("accept",), ("data", b"z"), ("dclose",),
                   ("ctl", b"226-first\r\n 226 inner\r\n226 last\r\n")]},
     dict(cmds=RETR_F + [b"QUIT"], out=b"z", rc=0)),
    ("110 before 150 ?", H + b"/f", {"transfer": [("ctl", b"110 MARK 1 = 2\r\n"), ("ctl", ok150(1)), ("accept",),
                                                  ("data", b"z"), ("dclose",), ("ctl", b"226 ok\r\n")]},
     dict(cmds=None, rc=None)),
    ("listing > 1 MiB before 150 then 150 (CRLF)", H + b"/",
     {"transfer": [("accept",), ("data", b"ab\r\n" * 300000), ("dclose",), ("sleep", 0.3),
                   ("ctl", b"150 here\r\n"), ("ctl", b"226 ok\r\n")]},
     dict(cmds=LIST_ + [b"QUIT"], out=b"ab\n" * 300000, rc=0)),
    ("file exactly 1 MiB before 150 held then 550", H + b"/f",
     {"transfer": [("accept",), ("data", b"y" * (1 << 20)), ("dclose",), ("sleep", 0.3), ("ctl", b"550 no\r\n")]},
     dict(cmds=RETR_F + [b"QUIT"], rc=1, out=b"")),
    ("long data held open after the size", H + b"/f",
     {"transfer": [("ctl", ok150(3)), ("accept",), ("data", b"abc"), ("sleep", 0.3), ("data", b"def"),
                   ("sleep", 3), ("ctl", b"226 ok\r\n")]},
     dict(cmds=None, rc=1, out=b"abc", maxt=2.5)),
    ("QUIT answered 221 after a multi-line block", H + b"/f", {"content": b"z", "quit": b"221-a\r\n221 b\r\n"},
     dict(cmds=RETR_F + [b"QUIT"], out=b"z", rc=0)),
    ("user of 5,000 bytes ?", b"ftp://" + b"u" * 5000 + b"@127.0.0.1:2300/f", {}, dict(cmds=None, rc=None)),
    ("password of 5,000 bytes ?", b"ftp://u:" + b"p" * 5000 + b"@127.0.0.1:2300/f", {}, dict(cmds=None, rc=None)),
    ("a bare % zone in an IPv6 literal ?", b"ftp://[::1%2]:2300/f", {}, dict(cmds=None, rc=None)),
    ("stdout /dev/full fails", H + b"/f", {"content": b"z"}, dict(cmds=None, rc=1, stdout_full=True)),
]


def endless(srv):
    """Answer with a multi-line reply that never ends (64 KiB blocks)."""
    t0 = time.time()
    try:
        srv.conn.sendall(b"200-start\r\n")
        while time.time() - t0 < 10:
            srv.conn.sendall((b" more " * 10 + b"\r\n") * 1000)
    except OSError:
        pass
    return "close"


def fix_scenarios():
    for i, (name, url, sc, exp) in enumerate(SCENARIOS):
        if name == "padded 229 block":
            def epsv_answer(line, srv, _sc=sc):
                srv.dl, port = srv.data_listener(socket.AF_INET, "127.0.0.1")
                return (b"229-padding\r\n" + (b" pad\r\n" * 2000) +
                        b"229 Entering Extended Passive Mode (|||%d|)\r\n" % port)
            SCENARIOS[i] = (name, url, {"answers": {b"EPSV": epsv_answer}, "content": b"z"},
                            dict(cmds=RETR_F + [b"QUIT"], out=b"z", rc=0))


def short(cmds):
    return repr([c if len(c) < 60 else c[:40] + b"...(%d bytes)" % len(c) for c in cmds[:12]])


def run_scenarios(server):
    fix_scenarios()
    for name, url, sc, exp in SCENARIOS:
        if MATCH and MATCH not in name:
            continue
        if v6_skipped(url):
            continue
        env = exp.get("env")
        if exp.get("stdout_full") or exp.get("stderr_closed") or exp.get("stdout_closed"):
            stop = threading.Event()
            t = threading.Thread(target=server.serve, args=(sc, stop))
            t.start()
            if exp.get("stdout_full"):
                with open("/dev/full", "wb") as full:
                    p = subprocess.run([CLIENT.encode(), url], stdout=full, stderr=subprocess.PIPE, timeout=60)
            elif exp.get("stderr_closed"):
                p = subprocess.run(["sh", "-c", 'exec "$0" "$1" 2>&-', CLIENT, url], capture_output=True, timeout=60)
                p.stderr = b"client: error: (stderr closed)" if p.returncode == 1 else b""
            else:
                p = subprocess.run(["sh", "-c", 'exec "$0" "$1" >&-', CLIENT, url], stderr=subprocess.PIPE,
                                   timeout=60)
                p.stdout = b""
            stop.set()
            t.join()
            res = dict(rc=p.returncode, out=p.stdout or b"", err=p.stderr, cmds=list(server.commands), took=0,
                       connected=True, served=b"", events=[])
        else:
            res = run_client(server, url, sc, env=env)
        problems = []
        if exp.get("cmds") is not None and res["cmds"] != exp["cmds"]:
            problems.append(f"commands {res['cmds']!r} != {exp['cmds']!r}")
        if exp.get("rc") is not None and res["rc"] != exp["rc"]:
            problems.append(f"exit {res['rc']} != {exp['rc']}")
        if "out" in exp and res["out"] != exp["out"]:
            problems.append(f"stdout {res['out'][:80]!r} != {exp['out'][:80]!r}")
        if "outlen" in exp and len(res["out"]) != exp["outlen"]:
            problems.append(f"stdout length {len(res['out'])} != {exp['outlen']}")
        for needle in exp.get("err", []):
            if needle not in res["err"]:
                problems.append(f"stderr lacks {needle!r}")
        if res["rc"] == 1 and b"client: error:" not in res["err"]:
            problems.append("exit 1 without 'client: error:' on stderr")
        if "maxt" in exp and res["took"] > exp["maxt"]:
            problems.append(f"took {res['took']:.1f} s > {exp['maxt']}")
        if "mint" in exp and res["took"] < exp["mint"]:
            problems.append(f"took {res['took']:.1f} s < {exp['mint']}")
        unknown = ["docs do not predict this"] if exp.get("rc") is None else None
        record(name, url, name, problems, res, unknown)
        tag = "UNKNOWN" if unknown else ("DIVERGE" if problems else "ok")
        print(f"[{tag}] scenario {name}: rc={res['rc']} took={res['took']:.1f}s cmds={short(res['cmds'])}"
              + (f"\n    {problems}" if problems else "")
              + (f"\n    stderr tail: {res['err'][-300:]!r}" if problems or unknown else ""))


def run_usage():
    for args, want in (([], 2), (["--help"], 0), (["a", "b"], 2), (["-h"], None), (["--help", "x"], None),
                       (["--bogus"], None)):
        p = subprocess.run([CLIENT] + args, capture_output=True)
        res = dict(rc=p.returncode, out=p.stdout, err=p.stderr, cmds=[])
        problems = []
        if want is not None and p.returncode != want:
            problems.append(f"exit {p.returncode} != {want}")
        if args == ["--help"] and not p.stdout.startswith(b"usage:"):
            problems.append("--help printed no usage on stdout")
        record("usage", repr(args), "usage", problems, res, None if want is not None else ["usage"])
        print(f"[{'UNKNOWN' if want is None else ('DIVERGE' if problems else 'ok')}] usage {args}: "
              f"rc={p.returncode} out={p.stdout[:60]!r} err={p.stderr[:100]!r} {problems}")


def main():
    global CLIENT, MATCH
    args = sys.argv[1:]
    seed, count = 1, 300
    only = None
    while args:
        a = args.pop(0)
        if a == "--client":
            CLIENT = args.pop(0)
        elif a == "--seed":
            seed = int(args.pop(0))
        elif a == "--count":
            count = int(args.pop(0))
        elif a == "--match":
            MATCH = args.pop(0)
        elif a == "--only":
            only = args.pop(0)
    server = Server()
    if only in (None, "usage"):
        run_usage()
    if only in (None, "urls"):
        for u in HAND_URLS:
            m = model_url(u)
            probs = check_url(server, u, "hand")
            if probs is None:
                print(f"[not run: no IPv6 loopback] {u!r}")
                continue
            tag = "UNKNOWN" if m["unknown"] else ("DIVERGE" if probs else "ok")
            if probs or m["unknown"]:
                e = (RESULTS["unknown"] if m["unknown"] else RESULTS["divergences"])[-1]
                print(f"[{tag}] {u!r}: rc={e['rc']} cmds={e['cmds']!r} {m['unknown']}\n    {probs}"
                      f"\n    err: {e['err_tail'][-250:]!r}")
            else:
                print(f"[ok] {u!r}")
    if only in (None, "gen"):
        rng = random.Random(seed)
        n_bad = 0
        for u in gen_urls(rng, count):
            probs = check_url(server, u, "generated")
            if probs:
                n_bad += 1
                m = model_url(u)
                print(f"[{'UNKNOWN' if m['unknown'] else 'DIVERGE'}] gen {u!r}: {probs} {m['unknown']}")
        print(f"generated: {count}, with problems: {n_bad}")
    if only in (None, "scenarios"):
        run_scenarios(server)
    print("\nrules the docs do not state (observed behaviour modelled), URLs that met each:")
    for note, n in sorted(RESULTS["silent"].items()):
        print(f"  {n:4d}  {note}")
    print("divergences:")
    for e in RESULTS["divergences"]:
        print(f"  {e['name']} {e['url'][:100]!r} [{e['scenario']}]: {e['problems']}")
    print(f"\nruns compared: {RESULTS['runs']}; divergences: {len(RESULTS['divergences'])}; "
          f"undocumented outcomes: {len(RESULTS['unknown'])}"
          + (f"; not run for want of an IPv6 loopback: {RESULTS['v6_skipped']}" if RESULTS["v6_skipped"] else ""))
    return 1 if RESULTS["divergences"] else 0


if __name__ == "__main__":
    sys.exit(main())
