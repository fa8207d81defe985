#!/usr/bin/env bash
# Where one row of benches/limits.rs spends its instructions (issue #12:
# "show the profile that says why"): the row under callgrind, with the
# bench built with line tables, then
#   - with no FUNCTION: each function's own instructions per item, the
#     most first (callgrind_annotate, divided by the items run);
#   - with FUNCTION: the machine code of the functions whose name holds
#     it, each instruction with how often it ran per item (objdump -d).
#
#   scripts/profile.sh 'limits 214 framing/ftp-reply parse'
#   scripts/profile.sh 'limits 227/ftp-reply parse+passive' canonical_tuple
#   scripts/profile.sh 'limits decoder/Decoder 1460B pushes' poll_scan
#
# An item is one reply of the row (10,000 per iteration for the stream
# rows), so the figures read as `scripts/limits.sh`'s "Ir per reply".
# They include the start-up's share (ITERS keeps it small: at the default,
# under 1% of a single-reply row and about 2% of a stream row); for exact
# counts per iteration use scripts/limits.sh.
#
# Env: ITERS (iterations of the row; default 10001 for a single-reply row,
# 3 for a stream), MIN (the least count per item an instruction must reach
# to be listed; default 0.5).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
[ $# -ge 1 ] || { sed -n '2,22p' "$0" >&2; exit 2; }
ROW="$1"
FUNCTION="${2:-}"
command -v valgrind >/dev/null || { echo "profile: valgrind is not installed" >&2; exit 1; }

BIN="$(CARGO_PROFILE_BENCH_DEBUG=line-tables-only bash "$ROOT/scripts/limits-bin.sh")"
[ -x "$BIN" ] || { echo "profile: no bench binary" >&2; exit 1; }
# Replies per iteration of the row's group (the list names every pair).
group="${ROW%%/*}"
per="$(LIMITS_LIST=1 "$BIN" | awk -F'\t' -v g="$group" '$1 == g { print $5; exit }')"
[ -n "$per" ] || { echo "profile: no group '$group' (LIMITS_LIST=1 lists them)" >&2; exit 1; }
if [ "$per" -gt 1 ]; then iters="${ITERS:-3}"; else iters="${ITERS:-10001}"; fi
items=$((iters * per))

OUT="$(mktemp -d)"
trap 'rm -rf "$OUT"' EXIT
LIMITS_ROW="$ROW" LIMITS_ITERS="$iters" valgrind --tool=callgrind --dump-instr=yes \
    --callgrind-out-file="$OUT/cg.out" "$BIN" >/dev/null 2>"$OUT/err" ||
    { cat "$OUT/err" >&2; exit 1; }
total="$(sed -n 's/^totals: \([0-9]*\).*/\1/p' "$OUT/cg.out")"
echo "profile: $ROW, $iters iterations, $items items: $total instructions, $(python3 -c "print(round($total / $items, 1))") per item" >&2

if [ -z "$FUNCTION" ]; then
    callgrind_annotate --auto=no --threshold=99 "$OUT/cg.out" |
        python3 -c '
import re, sys
items = int(sys.argv[1])
for line in sys.stdin:
    m = re.match(r"\s*([\d,]+) \(\s*[\d.]+%\)\s+(.*)", line)
    if m and "PROGRAM TOTALS" not in line:
        n = int(m.group(1).replace(",", "")) / items
        if n >= 0.5:
            print(f"{n:10.1f}  {m.group(2)[:150]}")
' "$items"
    exit 0
fi

python3 - "$OUT/cg.out" "$BIN" "$FUNCTION" "$items" "${MIN:-0.5}" <<'PY'
import collections, re, subprocess, sys
out, binary, want, items, least = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), float(sys.argv[5])
# callgrind's format with --dump-instr=yes: "positions: instr line"; a cost
# line is "<instr> <line> <Ir>", each position absolute (0x...), relative
# (+n, -n) or the same as before (*); the line after "calls=" is the
# inclusive cost of a call, not the caller's own.
costs = collections.Counter()
names, fn, last, skip = {}, "", [0, 0], False
def position(tok, i):
    if tok == "*":
        return last[i]
    if tok[0] in "+-":
        return last[i] + int(tok, 0)
    return int(tok, 0)
for line in open(out):
    # A function's name comes with its id the first time the id appears,
    # as the function (fn=) or as one it calls (cfn=).
    if line.startswith("cfn="):
        m = re.match(r"cfn=\((\d+)\) (.*)", line.rstrip("\n"))
        if m:
            names[m.group(1)] = m.group(2)
        continue
    if line.startswith("fn="):
        m = re.match(r"fn=\((\d+)\)(?: (.*))?", line.rstrip("\n"))
        if m:
            if m.group(2):
                names[m.group(1)] = m.group(2)
            fn = names.get(m.group(1), "")
        else:
            fn = line[3:].rstrip("\n")
        continue
    if line.startswith("calls="):
        skip = True
        continue
    toks = line.split()
    if len(toks) < 3 or line[0] not in "0123456789+-*":
        continue
    last[0], last[1] = position(toks[0], 0), position(toks[1], 1)
    if skip:
        skip = False
        continue
    if want in fn:
        costs[last[0]] += int(toks[2])
if not costs:
    sys.exit(f"profile: no instruction ran in a function whose name holds '{want}'")
print(f"{sum(costs.values()) / items:.1f} instructions per item in functions whose name holds '{want}'")
dump = subprocess.run(["objdump", "-d", "--no-show-raw-insn", f"--start-address={min(costs):#x}",
                       f"--stop-address={max(costs) + 16:#x}", binary],
                      capture_output=True, text=True, check=True).stdout
for line in dump.splitlines():
    m = re.match(r"\s*([0-9a-f]+):\s*(.*)", line)
    if m:
        n = costs.get(int(m.group(1), 16), 0) / items
        if n >= least:
            print(f"{n:8.2f}  {m.group(1)}: {m.group(2)[:100]}")
PY
