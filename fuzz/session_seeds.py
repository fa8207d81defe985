#!/usr/bin/env python3
"""Writes fuzz/seeds/session/: scripted sessions in the layout of
fuzz_targets/session.rs (flags, then per operation: opcode, argument,
and each connection call's byte as the driver makes it)."""
import os

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "seeds", "session")


def read(data):
    """Control or data reads giving `data`, at most 15 bytes a read."""
    out = bytearray()
    while data:
        piece, data = data[:15], data[15:]
        out += bytes([(len(piece) - 1) * 16 + 5]) + piece
    return bytes(out)


SEND = bytes([4, 0])  # a whole write, then a flush that succeeds


def op(code, arg=b""):
    return bytes([code, len(arg)]) + arg


def login(user=b"ftp"):
    return (op(0, user) + read(b"220 ready\r\n") + SEND + read(b"331 pw\r\n")
            + SEND + read(b"230 in\r\n"))


SEEDS = {
    "login_quit": bytes([0]) + login() + op(18) + SEND + read(b"221 bye\r\n"),
    "retrieve_epsv": bytes([0]) + login() + op(2) + SEND + read(b"200 binary\r\n")
    + op(6, b"f.bin") + SEND + read(b"229 (|||4000|)\r\n") + bytes([1])
    + SEND + read(b"150 Opening (5 bytes)\r\n") + read(b"hello") + bytes([0])
    + read(b"226 done\r\n") + op(18) + SEND + read(b"221 bye\r\n"),
    "store_pasv": bytes([8]) + login() + op(29, b"up.txt") + SEND
    + read(b"227 Entering Passive Mode (192,0,2,1,15,160)\r\n") + bytes([1])
    + SEND + read(b"150 ok\r\n") + bytes([4] * 4 + [0]) + read(b"226 stored\r\n"),
    "pwd_small_buffers_v6": bytes([3]) + login() + op(12 + 19 * 10) + SEND
    + read(b'257 "/home/ftp" is cwd\r\n') + op(17) + bytes([2]) + op(17),
    "hostile": bytes([0]) + op(0, b"u") + bytes([1, 3, 2]) + read(b"220-a\r\n")
    + bytes([4 + 16 * 3]) + b"220" + bytes([0, 0]) + op(18) + bytes([2]),
}

os.makedirs(OUT, exist_ok=True)
for name, data in SEEDS.items():
    with open(os.path.join(OUT, name), "wb") as f:
        f.write(data)
