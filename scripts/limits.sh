#!/usr/bin/env bash
# Issue #12 "Close to the limit": each path of the crate beside its limit
# (benches/limits.rs), timed by criterion in one run and counted by
# callgrind, printed as one markdown table.
#
#   scripts/limits.sh               # all groups
#   scripts/limits.sh 'limits 227'  # criterion filters (callgrind still counts every row)
#
# Env: MEASURE (criterion --measurement-time, default 3), WARMUP (default 1),
# CALLGRIND=0 to skip the instruction counts, PAD=1 to time a build with
# RUSTFLAGS="-C llvm-args=-x86-branches-within-32B-boundaries" (in
# target/pad; the instructions are still counted on the plain build, as
# the padding adds some). Without PAD the times are what a user's build
# gets, with where its loops' branches fall against 32-byte boundaries
# (a row can move by 15% with that alone); with it, what the code costs.
# See scripts/ab.sh and benches/RESULTS.md, "Session 38".
#
# Times: criterion's median (target/criterion/<group>/<row>/new/estimates.json)
# of each row, per iteration; both rows of a line come from the same group
# of the same run, so the ratio is as good as this (noisy, shared) machine
# allows. Instructions: the bench binary itself, run with LIMITS_ROW=<row>
# under callgrind by scripts/ir-count.sh.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
MEASURE="${MEASURE:-3}"
WARMUP="${WARMUP:-1}"
CALLGRIND="${CALLGRIND:-1}"
PAD="${PAD:-0}"
CRIT_TARGET="$ROOT/target"
if [ "$PAD" = 1 ]; then
    CRIT_TARGET="$ROOT/target/pad"
fi

BIN="$(bash "$ROOT/scripts/limits-bin.sh")"
[ -x "$BIN" ] || { echo "limits: no bench binary" >&2; exit 1; }

# Only this run's figures: drop the earlier ones of these groups.
rm -rf "$CRIT_TARGET"/criterion/limits\ *
echo "limits: cargo bench --bench limits -- --warm-up-time $WARMUP --measurement-time $MEASURE $* (PAD=$PAD)" >&2
if [ "$PAD" = 1 ]; then
    CARGO_TARGET_DIR="$CRIT_TARGET" \
        RUSTFLAGS="${RUSTFLAGS:-}${RUSTFLAGS:+ }-C llvm-args=-x86-branches-within-32B-boundaries" \
        cargo bench --bench limits -- --warm-up-time "$WARMUP" --measurement-time "$MEASURE" "$@" >&2
else
    cargo bench --bench limits -- --warm-up-time "$WARMUP" --measurement-time "$MEASURE" "$@" >&2
fi

OUT="$(mktemp -d)"
trap 'rm -rf "$OUT"' EXIT
LIMITS_LIST=1 "$BIN" >"$OUT/pairs.tsv"

if [ "$CALLGRIND" != 0 ] && command -v valgrind >/dev/null; then
    # Every row that appears in a pair, once.
    python3 - "$OUT/pairs.tsv" >"$OUT/rows.tsv" <<'PY'
import sys
seen = []
for l in open(sys.argv[1]):
    g, c, lim, _, per = l.rstrip('\n').split('\t')
    for r in (c, lim):
        if (g, r) not in [(a, b) for a, b, _ in seen]:
            seen.append((g, r, per))
for g, r, per in seen:
    print(f'{g}/{r}\t{per}')
PY
    BIN="$BIN" bash "$ROOT/scripts/ir-count.sh" <"$OUT/rows.tsv" >"$OUT/ir.tsv"
fi

python3 - "$CRIT_TARGET/criterion" "$OUT/pairs.tsv" "$OUT/ir.tsv" <<'PY'
import glob, json, os, sys
crit, pairs, irfile = sys.argv[1:]
med = {}
for d in glob.glob(os.path.join(crit, '*', '*', 'new')):
    b = json.load(open(os.path.join(d, 'benchmark.json')))
    e = json.load(open(os.path.join(d, 'estimates.json')))
    med[(b['group_id'], b['function_id'])] = e['median']['point_estimate']
ir = {}
if os.path.exists(irfile):
    for l in open(irfile):
        row, n = l.rstrip('\n').split('\t')
        ir[row] = int(n)

def t(ns):
    for unit, f in (('ms', 1e6), ('µs', 1e3)):
        if ns >= f:
            return f'{ns / f:.3g} {unit}' if ns / f < 100 else f'{ns / f:.1f} {unit}'
    return f'{ns:.3g} ns' if ns < 100 else f'{ns:.1f} ns'

def cell(g, r, per):
    ns = med.get((g, r))
    if ns is None:
        return '', None
    s = f'{t(ns)}'
    if per > 1:
        s += f' ({ns / per:.1f} ns/reply)'
    return f'{r}: {s}', ns

def irc(g, r, per):
    n = ir.get(f'{g}/{r}')
    if n is None:
        return '', None
    return (f'{n:,}' if per == 1 else f'{n / per:,.1f}/reply'), n

print('| path | limit | crate | ratio | limit Ir | crate Ir | Ir ratio |')
print('|---|---|---|---:|---:|---:|---:|')
for l in open(pairs):
    g, c, lim, path, per = l.rstrip('\n').split('\t')
    per = int(per)
    cs, cn = cell(g, c, per)
    ls, ln = cell(g, lim, per)
    ratio = f'{cn / ln:.2f}x' if cn and ln else ''
    ci, cin = irc(g, c, per)
    li, lin = irc(g, lim, per)
    iratio = f'{cin / lin:.2f}x' if cin and lin else ''
    print(f'| {path} | {ls} | {cs} | {ratio} | {li} | {ci} | {iratio} |')
PY
