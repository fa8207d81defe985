#!/usr/bin/env python3
"""Writes the benchmark inputs next to this file, deterministically.

help.raw: a 20-line 214 HELP block (ProFTPD's `*` marks, vsftpd's
leading space and columns; under 1 KiB, so it fits the Decoder<1024>); feat.raw: a FEAT block; stream.raw: 10,000 replies of assorted
kinds, single- and multi-line, in the proportions of a busy control
connection (transfers, directory changes, sizes, times, a few banners,
FEAT and HELP blocks, errors). pasv.raw, epsv.raw and pwd.raw are single
lines written by hand.

Run: python3 benches/data/gen_stream.py
"""

import os

HERE = os.path.dirname(os.path.abspath(__file__))

COMMANDS = (
    "ABOR ACCT ALLO APPE CDUP CWD DELE EPRT EPSV FEAT HELP LIST MDTM MKD MODE "
    "NLST NOOP OPTS PASS PASV PORT PWD QUIT REIN REST RETR RMD RNFR RNTO SITE "
    "SIZE SMNT STAT STOR STOU STRU SYST TYPE USER XCUP XCWD XMKD XPWD XRMD "
    "MLSD MLST HOST CLNT AUTH CCC CONF ENC MIC PBSZ PROT LANG MFMT MFF RANG "
    "CSID XCRC XMD5 XSHA1 XSHA256 XSHA512 SSCN MODZ HASH AVBL DSIZ SPSV THMB "
    "EXEC CHMOD UMASK IDLE UTIME SYMLINK COPY GPGP COMB MACB"
).split()


def help_block():
    lines = ["214-The following commands are recognized (* =>'s unimplemented):"]
    for i in range(18):
        row = [COMMANDS[(i * 6 + j) % len(COMMANDS)] for j in range(6)]
        row = [c + "*" if (i * 6 + j) % 11 == 4 else c for j, c in enumerate(row)]
        lines.append(" " + " ".join(c.ljust(5) for c in row).rstrip())
    lines.append("214 Direct comments to root@localhost")
    assert len(lines) == 20
    return "".join(l + "\r\n" for l in lines)


def feat_block():
    feats = [
        "AUTH TLS", "CLNT", "EPRT", "EPSV", "HOST", "LANG en-US*;fr-FR",
        "MDTM", "MFF modify;UNIX.group;UNIX.mode;", "MFMT",
        "MLST modify*;perm*;size*;type*;unique*;UNIX.group*;UNIX.mode*;UNIX.owner*;",
        "PBSZ", "PROT", "RANG STREAM", "REST STREAM", "SIZE", "SSCN", "TVFS",
        "UTF8",
    ]
    return "211-Features:\r\n" + "".join(" " + f + "\r\n" for f in feats) + "211 End\r\n"


class Lcg:
    """A fixed 64-bit LCG, so the stream is the same on every Python."""

    def __init__(self, seed):
        self.state = seed

    def next(self, n):
        self.state = (self.state * 6364136223846793005 + 1442695040888963407) % 2**64
        return (self.state >> 33) % n


def stream(count=10_000):
    rng = Lcg(5)
    names = ["readme.txt", "pub", "incoming", "data-2023.tar.gz", "a b c", "logs"]
    out = []
    n = 0
    while n < count:
        k = rng.next(100)
        name = names[rng.next(len(names))]
        if k < 12:
            a, b, c, d = (rng.next(256) for _ in range(4))
            port = 1024 + rng.next(64000)
            out.append(f"227 Entering Passive Mode ({a},{b},{c},{d},{port >> 8},{port & 255}).\r\n")
        elif k < 20:
            out.append(f"229 Entering Extended Passive Mode (|||{1024 + rng.next(64000)}|)\r\n")
        elif k < 32:
            out.append(f"150 Opening BINARY mode data connection for {name} ({rng.next(10**7)} bytes).\r\n")
        elif k < 44:
            out.append("226 Transfer complete.\r\n")
        elif k < 52:
            out.append("250 CWD command successful.\r\n")
        elif k < 58:
            out.append(f'257 "/home/ftp/{name}" is the current directory\r\n')
        elif k < 64:
            out.append(f"213 {rng.next(10**9)}\r\n")
        elif k < 70:
            out.append(f"213 2023{1 + rng.next(12):02}{1 + rng.next(28):02}{rng.next(24):02}{rng.next(60):02}{rng.next(60):02}\r\n")
        elif k < 76:
            out.append("200 Type set to I\r\n")
        elif k < 80:
            out.append("350 Restarting at 1024. Send STORE or RETRIEVE.\r\n")
        elif k < 86:
            out.append(f"550 {name}: No such file or directory\r\n")
        elif k < 89:
            out.append("331 Password required for ftp\r\n")
        elif k < 92:
            out.append("230-Welcome to the archive.\r\n230-Local time is 12:00.\r\n230 User ftp logged in\r\n")
        elif k < 94:
            out.append("220-Welcome\r\n220-This server is for authorised users only.\r\n220 FTP server ready\r\n")
        elif k < 96:
            out.append(f"250-Listing {name}\r\n type=file;size={rng.next(10**6)};modify=20231114093005;perm=r; {name}\r\n250 End\r\n")
        elif k < 98:
            out.append(feat_block())
        elif k < 99:
            out.append(help_block())
        else:
            out.append("221 Goodbye.\r\n")
        n += 1
    return "".join(out)


def write(name, text):
    with open(os.path.join(HERE, name), "wb") as f:
        f.write(text.encode("ascii"))


if __name__ == "__main__":
    write("help.raw", help_block())
    write("feat.raw", feat_block())
    write("stream.raw", stream())
