#!/usr/bin/env python3
"""Writes fuzz/seeds/client/: scripted sessions for the `client` target.

The layout is the one fuzz_targets/client.rs documents: a flags byte, the
script's length, the script (steps: an opcode byte and its arguments), then
the server's bytes. Each session below is a list of (step, server replies
it is followed by); every reply gets one receive-a-line step.
"""
import os
import struct
import sys

OPS = {name: i for i, name in enumerate(
    "recv_line recv_n drain send_all send_some login feat binary retrieve store append "
    "list nlst mlsd mlst size mdtm cwd cdup pwd mkd rmd dele rename noop quit raw "
    "trust data_connected data_end data_failed control_closed timer_fired step use_pasv".split())}

TRUST, V6, SMALL, AUTO, READER, ANY_CODE_ENDS, MAX_LINES = 1, 2, 4, 8, 16, 32, 64


def b(x):
    return bytes([len(x)]) + x


def opt(x):
    return b"\xff" if x is None else b(x)


def op(name, *args):
    out = bytes([OPS[name]])
    for a in args:
        out += a
    return out


def session(flags, steps, tail=b""):
    """steps: list of (script bytes, [server replies]); a reply is fed by
    one recv_line step (chunk 0: whole) unless the step says otherwise."""
    script, server = b"", b""
    for s, replies in steps:
        script += s
        for r in replies:
            # One receive step per line: the reply is then whole.
            script += op("recv_line", b"\x00") * r.count(b"\n")
            server += r
    return bytes([flags]) + struct.pack("<H", len(script)) + script + server + tail


HELLO = (b"", [b"220 ProFTPD Server ready.\r\n"])
LOGIN = (op("login", b(b"ftptest"), b(b"secret"), opt(None)),
         [b"331 Password required for ftptest\r\n", b"230 User ftptest logged in\r\n"])
FEAT = (op("feat"), [b"211-Features:\r\n EPSV\r\n MDTM\r\n MLST type*;size*;modify*;\r\n"
                     b" REST STREAM\r\n SIZE\r\n UTF8\r\n211 End\r\n",
                     b"200 UTF8 set to on\r\n"])
BINARY = (op("binary"), [b"200 Type set to I\r\n"])
QUIT = (op("quit"), [b"221 Goodbye.\r\n"])


def retr(path=b"hello.txt", offset=0, epsv=True):
    replies = []
    if epsv:
        replies.append(b"229 Entering Extended Passive Mode (|||40001|)\r\n")
    else:
        replies += [b"502 EPSV not implemented\r\n",
                    b"227 Entering Passive Mode (192,0,2,1,156,65).\r\n"]
    if offset:
        replies.append(b"350 Restarting at %d\r\n" % offset)
    replies += [b"150 Opening BINARY mode data connection for hello.txt (12 bytes)\r\n",
                b"226 Transfer complete\r\n"]
    return (op("retrieve", b(path), struct.pack("<Q", offset)), replies)


seeds = {
    "login_retrieve_epsv": session(AUTO, [HELLO, LOGIN, FEAT, BINARY, retr(), QUIT]),
    "login_pasv_fallback": session(AUTO, [HELLO, LOGIN, retr(epsv=False), retr(offset=100), QUIT]),
    "pasv_other_address": session(AUTO, [HELLO, LOGIN, (op("retrieve", b(b"f"), bytes(8)), [
        b"502 no\r\n", b"227 Entering Passive Mode (10,0,0,7,4,1)\r\n",
        b"150 ok\r\n", b"226 ok\r\n"])]),
    "pasv_other_address_trusted": session(AUTO | TRUST, [HELLO, LOGIN, (op("list", opt(None)), [
        b"500 EPSV?\r\n", b"227 =127,0,0,1,4,1\r\n", b"125 go\r\n", b"226 ok\r\n"])]),
    "pasv_v6_peer": session(AUTO | V6, [HELLO, LOGIN, (op("nlst", opt(b"/pub")), [
        b"522 use (1)\r\n", b"227 (192,0,2,1,4,1)\r\n", b"150 ok\r\n", b"226 ok\r\n"]),
        (op("mlsd", opt(None)), [b"227 (0,0,0,0,0,0)\r\n"])]),
    "listings": session(AUTO, [HELLO, LOGIN,
        (op("list", opt(None)), [b"229 (|||2000|)\r\n", b"150 Here comes the listing\r\n", b"226 Done\r\n"]),
        (op("nlst", opt(b"*.txt")), [b"229 (|||2001|)\r\n", b"226 No files\r\n"]),
        (op("mlsd", opt(b"/")), [b"229 (!!!2002!)\r\n", b"150 MLSD\r\n", b"226-Stats\r\n 3 entries\r\n226 End\r\n"]),
        (op("store", b(b"up.bin")), [b"229 (|||2003|)\r\n", b"150 Ok to send data.\r\n", b"226 Transfer complete.\r\n"]),
        (op("append", b(b"log\xff")), [b"229 (|||2004|)\r\n", b"550 Permission denied.\r\n"])]),
    "singles": session(AUTO, [HELLO, LOGIN,
        (op("mlst", opt(b"hello.txt")), [b"250-Listing hello.txt\r\n type=file;size=12;modify=20240102030405; hello.txt\r\n250 End\r\n"]),
        (op("size", b(b"hello.txt")), [b"213 12\r\n"]),
        (op("mdtm", b(b"hello.txt")), [b"213 20240102030405\r\n"]),
        (op("pwd"), [b'257 "/home/ftp ""x""" is current\r\n']),
        (op("mkd", b(b"new")), [b'257 "/new" created\r\n']),
        (op("cwd", b(b"new")), [b"250 CWD ok\r\n"]),
        (op("cdup"), [b"200 ok\r\n"]),
        (op("rmd", b(b"new")), [b"250 removed\r\n"]),
        (op("dele", b(b"f")), [b"550 no such file\r\n"]),
        (op("rename", b(b"a"), b(b"b")), [b"350 ready\r\n", b"250 renamed\r\n"]),
        (op("noop"), [b"200 NOOP ok\r\n"]),
        (op("raw", b(b"SITE CHMOD 644 f")), [b"200 SITE ok\r\n"]),
        (op("raw", b(b"STAT")), [b"211-status\r\n x\r\n211 end\r\n"]),
        QUIT]),
    "greeting_120_account": session(AUTO, [
        (op("login", b(b"u"), b(b"p"), opt(b"acct")), [b"120 in 5 minutes\r\n", b"220 ready\r\n",
                                                   b"331 pass\r\n", b"332 account\r\n", b"230 ok\r\n"]),
        (op("mlst", opt(None)), [b"500 what\r\n"]),
        (op("feat"), [b"502 no FEAT\r\n"])]),
    "login_refused_421": session(AUTO, [HELLO,
        (op("login", b(b"anonymous"), b(b"guest@"), opt(None)), [b"530 no\r\n"]),
        (op("login", b(b"ftp"), b(b""), opt(None)), [b"230-Welcome\r\n230-banner\r\n230 ok\r\n"]),
        (op("noop"), [b"421 Timeout.\r\n"])]),
    # An empty password: PASS keeps its space (`PASS \r\n`, as curl sends it).
    "login_empty_password": session(AUTO, [HELLO,
        (op("login", b(b"u"), b(b""), opt(None)), [b"331 Password required for u\r\n",
                                                 b"230 Logged on\r\n"]),
        QUIT]),
    "manual_transfer": session(0, [
        (op("login", b(b"ftptest"), b(b"secret"), opt(None)), [b"220 hi\r\n"]),
        (op("send_some", b"\x03") + op("send_all"), [b"331 pw\r\n"]),
        (op("send_all"), [b"230 in\r\n"]),
        (op("retrieve", b(b"big.iso"), struct.pack("<Q", 1 << 40)) + op("send_all"), [b"229 (|||40001|)\r\n"]),
        (op("data_connected") + op("send_all"), [b"350 Restart ok\r\n"]),
        (op("send_all"), [b"150 Opening (1099511627776 bytes)\r\n"]),
        (op("data_failed"), [b"226 ok\r\n"]),
        (op("drain") + op("timer_fired") + op("noop") + op("timer_fired") + op("drain"), [])]),
    "manual_unsent_reply": session(0, [
        (op("noop"), [b"220 hi\r\n", b"200 early\r\n"]),
        (op("control_closed") + op("drain"), [])]),
    "chunked": session(AUTO, [
        (op("login", b(b"u"), b(b"p"), opt(None)), []),
        (op("recv_line", b"\x01") + op("recv_line", b"\x07") + op("recv_n", b"\x10"), []),
    ], tail=b"220 one byte at a time\r\n331 seven\r\n230 sixteen bytes\r\n"),
    "small_buffers_banner": session(AUTO | SMALL | V6, [
        (op("login", b(b"user"), b(b"pw"), opt(None)), [
            b"220-" + b"x" * 100 + b"\r\n220-second line of a long banner\r\n220 end\r\n",
            b"331 pw\r\n", b"230 " + b"y" * 90 + b"\r\n"]),
        (op("login", b(b"u" * 60), b(b"p"), opt(None)), []),
        (op("retrieve", b(b"f"), bytes(8)), [b"229 (|||1|)\r\n", b"150 " + b"z" * 80 + b"\r\n", b"226 ok\r\n"])]),
    "bad_arguments": session(AUTO, [HELLO,
        (op("login", b(b"u\r\nDELE x"), b(b"p"), opt(None)), []),
        (op("cwd", b(b"a\x00b")), []),
        (op("raw", b(b"NOOP\nQUIT")), []),
        (op("raw", b(b"SITE \xff\xff")), [b"500 no\r\n"]),
        (op("mkd", b(b"\xff" * 50)), []),
        (op("mkd", b(b"x" * 200)), []),
        (op("retrieve", b(b"\r"), bytes(8)), [])]),
    "garbage_replies": session(AUTO, [HELLO, LOGIN,
        (op("pwd"), [b"257 no quotes\r\n"]),
        (op("size", b(b"f")), [b"213 twelve\r\n"]),
        (op("retrieve", b(b"f"), bytes(8)), [b"229 (|||0|)\r\n"]),
        (op("retrieve", b(b"f"), bytes(8)), [b"229 Entering (|||99999|)\r\n"]),
        (op("list", opt(None)), [b"229 (|||7|)\r\n", b"1x0 broken\r\n"]),
        (op("noop"), [b"garbage\r\n"])]),
}

seeds["reader_use_pasv"] = session(AUTO | READER, [HELLO, LOGIN,
    (op("use_pasv") + op("retrieve", b(b"f"), bytes(8)), [
        b"227 Entering Passive Mode (192,0,2,1,4,1)\r\n", b"150 ok\r\n", b"226 ok\r\n"]),
    (op("control_closed") + op("recv_line", b"\x00"), [b"200 after the end\r\n"])])
seeds["config_any_code_max_lines"] = session(AUTO | ANY_CODE_ENDS | MAX_LINES, [
    (op("login", b(b"u"), b(b"p"), opt(None)), [
        b"220-one\r\n220-two\r\n220 three\r\n",
        b"230-in\r\n231 ends it\r\n"]),
    (op("feat"), [b"211-Features\r\n EPSV\r\n SIZE\r\n MDTM\r\n UTF8\r\n211 End\r\n", b"501 no\r\n"])])

# Long inputs, for the 64 KiB runs (work linear in the input): a 2,000-line
# banner; 4,000 NOOPs, each answered.
seeds["long_banner"] = session(AUTO, [
    (op("login", b(b"u"), b(b"p"), opt(None)),
     [b"".join(b"220-line %d of the banner\r\n" % i for i in range(2000)) + b"220 ready\r\n",
      b"230 in\r\n"])])
seeds["many_noops"] = session(AUTO, [HELLO] + [(op("noop"), [b"200 NOOP ok\r\n"])] * 4000)

out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "seeds", "client")
os.makedirs(out, exist_ok=True)
for name, data in seeds.items():
    with open(os.path.join(out, name), "wb") as f:
        f.write(data)
print(f"client: {len(seeds)} seeds in {out}")
