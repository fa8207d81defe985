#!/usr/bin/env bash
# Where a size probe's flash goes (issue #12: "show the profile that says
# why", for the flash rows): builds the probes of size/ for
# thumbv7em-none-eabihf as scripts/size.sh does, but with line tables
# (debug info changes no code: the script checks that the probe's .text is
# the size it is without them), and gives each byte of .text to a source
# function by the inline chain that llvm-addr2line reads for its
# instruction:
#   - own: the innermost function of the chain that is ftp-reply's (or
#     the probe's) own code, so what core and nom inline into a function
#     counts as the function's. These add up to .text.
#   - with inlined: every function of the chain once, so a function's
#     figure holds all that the compiler inlined into it (what it would
#     cost as a function of its own).
# Functions outside the crate with no crate function around them (the
# reset handler, core's out-of-line from_utf8, memclr) count as
# themselves.
#
#   scripts/flash-profile.sh size-pasv
#   MIN=100 scripts/flash-profile.sh size-all
#
# Env: MIN (the least bytes a line needs to be listed; default 16).
# Needs llvm-objdump and llvm-addr2line (Debian's llvm package).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
[ $# -eq 1 ] || { sed -n '2,21p' "$0" >&2; exit 2; }
PROBE="$1"
for tool in llvm-objdump llvm-addr2line; do
    command -v "$tool" >/dev/null || { echo "flash-profile: $tool is not installed" >&2; exit 1; }
done

target=thumbv7em-none-eabihf
cd "$ROOT/size"
rustup target list --installed 2>/dev/null | grep -qx "$target" || rustup target add "$target" >&2
cargo build --release --target "$target" --bin "$PROBE" --bin size-empty --quiet
CARGO_PROFILE_RELEASE_DEBUG=line-tables-only CARGO_TARGET_DIR="$ROOT/size/target/lines" \
    cargo build --release --target "$target" --bin "$PROBE" --quiet

python3 - "$ROOT" "target/$target/release" "target/lines/$target/release/$PROBE" "$PROBE" "${MIN:-16}" <<'PY'
import collections, re, subprocess, sys

root, plain, lines_elf, probe, least = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4], int(sys.argv[5])

def text_section(path):
    """The .text section's size and address (the probes have one)."""
    out = subprocess.run(["llvm-objdump", "-h", path], capture_output=True, text=True, check=True).stdout
    m = re.search(r"^\s*\d+\s+\.text\s+([0-9a-f]+)\s+([0-9a-f]+)", out, re.M)
    return int(m.group(1), 16), int(m.group(2), 16)

def text_size(path):
    return text_section(path)[0]

text, text_at = text_section(lines_elf)
if text != text_size(f"{plain}/{probe}"):
    sys.exit(f"flash-profile: {probe} has {text} B of .text with line tables, "
             f"{text_size(f'{plain}/{probe}')} B without: the profile would not describe the probe")
harness = text_size(f"{plain}/size-empty")

# Every instruction's address, and its size from the next address (the
# last one's from the section end).
dis = subprocess.run(["llvm-objdump", "-d", "--no-show-raw-insn", "--section=.text", lines_elf],
                     capture_output=True, text=True, check=True).stdout
starts = sorted({int(m.group(1), 16) for m in re.finditer(r"^\s*([0-9a-f]+):\s", dis, re.M)})
sizes = [(a, b - a) for a, b in zip(starts, starts[1:] + [text_at + text])]

chains = subprocess.run(["llvm-addr2line", "-e", lines_elf, "-i", "-f", "-C", "-a"],
                        input="\n".join(hex(a) for a, _ in sizes), capture_output=True,
                        text=True, check=True).stdout
blocks = re.split(r"\n(?=0x[0-9a-f]+\n)", chains.strip())
assert len(blocks) == len(sizes), (len(blocks), len(sizes))

def own_file(loc):
    """The file of a frame's location, relative to the repo, when it is
    ftp-reply's or the probe's own source (else None)."""
    path = loc.rsplit(":", 1)[0]
    if path.startswith(root + "/"):
        return path[len(root) + 1:]
    return None

def label(fn, path):
    # A frame with no line (prologues, shared tails) keeps its symbol's
    # module path for a file.
    if path is None:
        fn = re.sub(r"\$LT\$.*\$GT\$", "", re.sub(r"::h[0-9a-f]{16}$", "", fn))
        path = "/".join(fn.split("::")[1:-1]) + " (no line)"
    fn = re.sub(r"::h[0-9a-f]{16}$", "", fn)
    fn = re.sub(r"<.*", "", fn).split("::")[-1] or fn
    return f"{path.removeprefix('src/')}: {fn}"

own = collections.Counter()
inclusive = collections.Counter()
for (addr, size), block in zip(sizes, blocks):
    rows = block.split("\n")[1:]
    frames = list(zip(rows[0::2], rows[1::2]))
    mine = [label(fn, path) for fn, path in ((fn, own_file(loc)) for fn, loc in frames)
            if path is not None or fn.startswith("ftp_reply::")]
    if mine:
        own[mine[0]] += size
    else:
        outer = frames[-1][0] if frames else "??"
        own[re.sub(r"::h[0-9a-f]{16}$", "", outer)[:60] + " (outside the crate)"] += size
    for name in dict.fromkeys(mine):
        inclusive[name] += size

assert sum(own.values()) == text
print(f"{probe}: .text {text} B, closure {text - harness} B (size-empty's {harness} B is the harness)")
print(f"{'own':>6} {'with inlined':>12}  function (file: name)")
names = sorted(set(own) | set(inclusive), key=lambda n: (-inclusive.get(n, own[n]), n))
shown = 0
for name in names:
    if max(own.get(name, 0), inclusive.get(name, 0)) >= least:
        print(f"{own.get(name, 0):6d} {inclusive.get(name, own.get(name, 0)):12d}  {name}")
        shown += own.get(name, 0)
print(f"{text - shown:6d} {'':12}  (lines under {least} B)")
files = collections.Counter()
for name, size in own.items():
    files[name.split(": ")[0] if ": " in name else "outside the crate"] += size
print("own bytes by file: " + ", ".join(f"{f} {n}" for f, n in files.most_common()))
PY
