#!/usr/bin/env bash
# Firmware size report (issue 5): builds the probes in size/ for
# thumbv7em-none-eabihf (opt-level "z", LTO, panic = "abort") and prints,
# for each binary, its .text bytes and its entry point's closure: the
# binary's .text minus size-empty's (the harness alone). Fails when a
# closure is over its gate: size-decoder at most 3,072 B and size-client
# (the client engine for login, passive mode and retrieve only, issue 13
# asks 10 KiB) at most 9,400 B; size-pasv at most 1,850 B and size-all at most 11,400 B
# (issue #12 asks 1,024 B and 8,192 B: not reached, gated where they are). It also prints, ungated, the flash cost of
# each single accessor against Reply::payload() (the size-parse, size-epsv,
# size-pathname, size-help, size-features, size-mlst, size-transfer-size
# size-payload-150 and size-base64 probes), and fails when README.md quotes
# a figure for a probe (the "Firmware size" table, the accessor table), or
# src/client/mod.rs one for size-client, or benches/RESULTS.md's flash
# table or size/README.md's gates table, that is not the one measured.
# SIZE_SYMBOLS=1 also lists each binary's
# largest functions. See size/README.md.
set -euo pipefail
cd "$(dirname "$0")/../size"

target=thumbv7em-none-eabihf
rustup target list --installed 2>/dev/null | grep -qx "$target" || rustup target add "$target"
cargo build --release --target "$target" --bins 2>&1 | grep -Ev '^\s*(Compiling|Finished|Blocking)' || true
cargo build --release --target "$target" --bins --quiet

python3 - "target/$target/release" <<'PY'
import os, struct, sys

def text_size(path):
    """Sum of the sizes of the sections named .text in a 32-bit LE ELF."""
    with open(path, "rb") as f:
        data = f.read()
    assert data[:4] == b"\x7fELF" and data[4] == 1 and data[5] == 1, path
    shoff, = struct.unpack_from("<I", data, 0x20)
    shentsize, shnum, shstrndx = struct.unpack_from("<HHH", data, 0x2E)
    def sh(i):
        return struct.unpack_from("<IIIIIIIIII", data, shoff + i * shentsize)
    strtab = sh(shstrndx)
    def name(off):
        start = strtab[4] + off
        return data[start:data.index(b"\0", start)].decode()
    return sum(s[5] for s in map(sh, range(shnum)) if name(s[0]) == ".text")

def top_symbols(path, count=12):
    """The largest function symbols in .text, for SIZE_SYMBOLS=1."""
    with open(path, "rb") as f:
        data = f.read()
    shoff, = struct.unpack_from("<I", data, 0x20)
    shentsize, shnum, shstrndx = struct.unpack_from("<HHH", data, 0x2E)
    secs = [struct.unpack_from("<IIIIIIIIII", data, shoff + i * shentsize) for i in range(shnum)]
    def cstr(base, off):
        return data[base + off:data.index(b"\0", base + off)].decode()
    names = [cstr(secs[shstrndx][4], s[0]) for s in secs]
    text = names.index(".text")
    found = []
    for s in secs:
        if s[1] != 2:  # SHT_SYMTAB
            continue
        strtab = secs[s[6]][4]
        for j in range(s[5] // 16):
            nm, _, size, info, _, shndx = struct.unpack_from("<IIIBBH", data, s[4] + j * 16)
            if shndx == text and size > 0 and info & 0xF == 2:
                found.append((size, cstr(strtab, nm)))
    return sorted(found, reverse=True)[:count]

out = sys.argv[1]
# Issue #12's flash targets: the decoder at most 3,072 B (met, gated), 227
# only at most 1,024 B and every payload at most 8,192 B (both missed: see
# benches/RESULTS.md); those two are gated just above the figures reached
# (1,740 B and 8,676 B at ed95224; 1,796 B and 8,708 B after b8d6c4d, a
# 227 correctness fix; 1,840 B and 8,752 B after the 227 run rule took in
# spaces next to commas, size-pasv's gate moved from 1,800 to 1,850 B;
# size-all 8,836 B after four payload fixes of a differential run, its gate
# moved from 8,800 to 8,850 B; 8,984 B once a reply the decoder cut gives
# no value, PayloadError::Truncated, size-all's gate moved to 9,000 B;
# 9,764 B with the 228 payload, RFC 1639's long passive address, which
# payload() reads since it is a machine-readable reply: gate 9,800 B;
# 10,076 B with the 522's protocol list, RFC 2428, which ProFTPD,
# pure-ftpd and pyftpdlib send: gate 10,200 B; 10,396 B with RFC 2228's
# PBSZ= size in a 200 and z/OS's 350 wording: gate 10,400 B; 10,420 B
# with a 211 after HELP read as a help table: gate 10,500 B; 10,868 B
# with the sizes SimpleFTPServer and Zope's server write and a 522's
# `(IPv4)` read as a word: gate 10,900 B; 10,972 B with numbers exact or
# refused in a 150's leading form and with a space between digits, a 257's
# `""` before punctuation, and a `(N bytes)` in a quoted name: gate
# 11,000 B; 10,984 B with a space as a 229's delimiter; 10,996 B with `.5`
# refused as a 350 offset or 120 minutes; 11,144 B with an MLST entry
# indented by more than one space (the servers of rclone #8403 and
# jlaffaye/ftp #338) and a colon ending a 215's system name (Sming's
# `Windows_NT:`): gate 11,200 B; 11,152 B with a quote after a byte that
# is not ASCII opening a 257's name, ProFTPD's Chinese messages; 11,184 B
# with an indented MLST word taken as facts only when well formed;
# 11,392 B with a 350 after REST read for its one clean number with no word
# `rest` (ftpvita, goftp/server), a 150's quote that none closes hiding
# no size (vsftpd's `a"b.txt (5 bytes)`) and a quoted 215 name
# (MockFtpServer): gate 11,400 B; 11,380 B with that 350 number held to
# start a word, `file5.bin` no offset; 11,384 B with a 213's blanks
# before its size skipped, `213  N`; 11,424 B with each line of a 228
# block tried for the tuple: gate 11,450 B; 11,396 B with a cut reply's
# first line read by closed_by_other_code: gate 11,400 B again; 11,324 B
# with a flag, set by the parser, for a block another code closed, which
# the main text and the readers on any line of a block test; 11,316 B
# with the probe's contexts HELP, REST and RNFR added), so
# that they can only grow by a reasoned change.
targets = {}
bins = ["size-empty", "size-baseline", "size-pasv", "size-all", "size-decoder", "size-client"]
# Every gate is "at most". size-client's was issue 13's 10 KiB (10,240 B)
# until session 61 took it from 10,240 to 9,172 B (no memcpy or memcmp
# linked any more, a 3xx to EPSV handled): gated at 9,400 B, so that
# compiler_builtins' memcpy (742 B), which one event moved through a
# temporary linked, cannot come back unnoticed.
at_most = {"size-client": 9400, "size-decoder": 3072, "size-pasv": 1850, "size-all": 11400}
text = {b: text_size(f"{out}/{b}") for b in bins}
empty = text["size-empty"]
failed = []
print(f"{'binary':<14} {'.text':>7} {'closure':>8} {'target':>8}")
for b in bins:
    closure = text[b] - empty
    limit = targets.get(b) or at_most.get(b)
    verdict = ""
    if limit is not None:
        over = closure > limit if b in at_most else closure >= limit
        verdict = "OVER" if over else "ok"
        if over:
            failed.append(b)
    print(f"{b:<14} {text[b]:>7} {closure:>8} {limit if limit else '-':>8} {verdict}")
# Flash cost per accessor (issue 11): reported, not gated. Each probe is
# parse_complete plus one accessor; "accessor" is its .text minus
# size-parse's (parse_complete alone). size-pasv is the 227 row.
accessors = ["size-parse", "size-pasv", "size-epsv", "size-pathname", "size-help",
             "size-features", "size-mlst", "size-transfer-size", "size-payload-150",
             "size-base64"]
for b in accessors:
    if b not in text:
        text[b] = text_size(f"{out}/{b}")
parse = text["size-parse"]
print(f"\n{'accessor probe':<20} {'.text':>7} {'closure':>8} {'accessor':>9}")
for b in accessors:
    print(f"{b:<20} {text[b]:>7} {text[b] - empty:>8} {text[b] - parse:>9}")
if os.environ.get("SIZE_SYMBOLS") == "1":
    for b in bins + accessors[2:]:
        print(f"-- largest functions in {b}")
        for size, sym in top_symbols(f"{out}/{b}"):
            print(f"{size:>7} {sym}")
# The README's figures are claims: each one must be what was measured here.
# Every size the README quotes for a probe is checked, so a change that
# moves a figure fails until the README says the new one.
readme = open("../README.md", encoding="utf-8").read()
def b(n):
    return f"{n:,} B"
closure = {k: v - empty for k, v in text.items()}
claims = [
    # (what the README says, measured)
    (f"`parse_complete` ({b(closure['size-parse'])} on its own)", "size-parse"),
    (f"| 227 | `Reply::passive()` | {b(text['size-pasv'] - parse)} |", "size-pasv accessor"),
    (f"| 229 | `Reply::extended_passive()` | {b(text['size-epsv'] - parse)} |", "size-epsv accessor"),
    (f"| 257 | `Reply::pathname()` + `copy_to` | {b(text['size-pathname'] - parse)} |", "size-pathname accessor"),
    (f"| 150, 125 | `Reply::transfer_size()` | {b(text['size-transfer-size'] - parse)} |", "size-transfer-size accessor"),
    (f"| 214 | `Reply::help()` + `commands()` | {b(text['size-help'] - parse)} |", "size-help accessor"),
    (f"| 211 after FEAT | `Reply::features()` + `iter()` | {b(text['size-features'] - parse)} |", "size-features accessor"),
    (f"| 250 after MLST | `Reply::mlst_entry()` + `facts()` | {b(text['size-mlst'] - parse)} |", "size-mlst accessor"),
    (f"`payload()` on a 150 adds {b(text['size-payload-150'] - parse)} where `transfer_size` adds {b(text['size-transfer-size'] - parse)}.", "size-payload-150 and size-transfer-size accessors"),
    (f"| parse a 227 (`parse_complete` + `passive()`) | {b(closure['size-pasv'])} |", "size-pasv"),
    (f"| parse any reply with every payload and view (`payload_after` in each context) | {b(closure['size-all'])} |", "size-all"),
    (f"| `Decoder<512>`: push, next, finish | {b(closure['size-decoder'])} |", "size-decoder"),
    (f"| the client engine for one flow: login, EPSV or PASV, retrieve (`client::Client<512>`) | {b(closure['size-client'])} |", "size-client"),
    (f"| a hand-written, dependency-free 227 byte loop (for scale) | {b(closure['size-baseline'])} |", "size-baseline"),
]
# The client engine's module docs quote size-client too.
client_docs = open("../src/client/mod.rs", encoding="utf-8").read()
said = f"retrieve take {closure['size-client']:,} bytes"
if said not in client_docs:
    print(f"size: src/client/mod.rs does not say what size-client measures now; it should read: {said}")
    failed.append("src/client/mod.rs (size-client)")
# benches/RESULTS.md's flash table and size/README.md's gates say the
# figures of today too.
results = open("../benches/RESULTS.md", encoding="utf-8").read()
for said, probe in [
    (f"| 227 only (`size-pasv`) | 1,900 B | {b(closure['size-pasv'])} (", "size-pasv"),
    (f"| every payload (`size-all`) | 11,120 B | {b(closure['size-all'])} (", "size-all"),
    (f"| `Decoder<512>` (`size-decoder`) | 3,036 B | {b(closure['size-decoder'])} (", "size-decoder"),
    (f"| client, login + passive + retrieve | 10,056 B | {b(closure['size-client'])} (", "size-client"),
    # The verdict table at the top (issue #12's rows), gates included.
    (f"| flash, 227 only | 1,024 B | {b(closure['size-pasv'])} | missed (gated at {at_most['size-pasv']:,} B) |", "size-pasv verdict"),
    (f"| flash, every payload | 8,192 B | {b(closure['size-all'])} | missed (gated at {at_most['size-all']:,} B) |", "size-all verdict"),
    (f"| flash, `Decoder<512>` | 3,072 B | {b(closure['size-decoder'])} | **met** (gated) |", "size-decoder verdict"),
    (f"| ≤ 8,192 B | **missed** (gated at ≤ {at_most['size-all']:,}) |", "size-all gate"),
]:
    if said not in results:
        print(f"size: benches/RESULTS.md does not say what {probe} measures now; its row should start: {said}")
        failed.append(f"benches/RESULTS.md ({probe})")
size_readme = open("README.md", encoding="utf-8").read()
for probe, gate in [
    ("size-decoder", "3,072 B (issue #12's target, met)"),
    ("size-client", "9,400 B (issue 13 asks 10,240 B)"),
    ("size-pasv", "1,850 B (issue #12 asks 1,024 B: not reached)"),
    ("size-all", "11,400 B (issue #12 asks 8,192 B: not reached)"),
]:
    said = f"| `{probe}` | {gate} | {b(closure[probe])} |"
    if said not in size_readme:
        print(f"size: size/README.md's gates table does not say what {probe} measures now; its row should read: {said}")
        failed.append(f"size/README.md ({probe})")
for said, probe in claims:
    if said not in readme:
        print(f"size: README.md does not say what {probe} measures now; it should read: {said}")
        failed.append(f"README ({probe})")
print(
    f"size: 227 only {text['size-pasv'] - empty} B (<= {at_most['size-pasv']}; issue #12 target 1024), "
    f"all payloads {text['size-all'] - empty} B (<= {at_most['size-all']}; target 8192), "
    f"decoder {text['size-decoder'] - empty} B (<= {at_most['size-decoder']}), "
    f"hand-written 227 loop {text['size-baseline'] - empty} B, "
    f"client login+passive+retrieve {text['size-client'] - empty} B (<= {at_most['size-client']}; issue 13: 10240): "
    + ("FAIL " + ", ".join(failed) if failed else "all within target")
)
sys.exit(1 if failed else 0)
PY
