#!/usr/bin/env bash
# A/B timing of two commits on the limits bench (issue #12): builds
# benches/limits.rs as it is at REV_A and at REV_B, then runs the two
# bench binaries in turn, ROUNDS times each, pinned to one core, and keeps
# for every row the best (lowest) criterion median of its rounds. It
# prints each row at A and at B, B/A, and each crate row's ratio to its
# limit at A and at B (the pairs of scripts/limits.sh's table).
#
#   scripts/ab.sh REV_A REV_B [FILTER]
#   scripts/ab.sh HEAD~1 HEAD 'limits decoder/'
#   scripts/ab.sh HEAD . 'limits 227'   # `.`: the working tree's changes
#
# Env: ROUNDS (default 6), MEASURE (criterion --measurement-time, default
# 2), WARMUP (default 1), CPU (the core to pin to, default 1), PAD (default
# 1 on x86_64: both sides built with RUSTFLAGS="-C
# llvm-args=-x86-branches-within-32B-boundaries"; PAD=0 builds as a user's
# build would).
#
# Why PAD: without it, where the hot loops' branches fall against 32-byte
# boundaries decides a row's time on this bench's machine, and any change
# moves that. Session 38, same code in two builds: the 214 framing row 136
# or 118 ns, the walk's floor (code not changed at all) 150 or 158 µs.
# Padded, both builds read 118 ns and 151 µs, and a change's own cost shows
# (benches/RESULTS.md, "Session 38"). The padding adds a few instructions
# (the walk 213.6 to 217.4 a reply): count instructions on a build without
# it (scripts/limits.sh, scripts/profile.sh).
#
# Why: on a shared, noisy machine two runs of one build differ by more than
# many changes do. Alternating the builds, so both see the same spells of
# noise, and keeping each row's best round compare what the code costs
# (the "best of six alternating runs" of benches/RESULTS.md).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
[ $# -ge 2 ] || { sed -n '2,17p' "$0" >&2; exit 2; }
ROUNDS="${ROUNDS:-6}"
MEASURE="${MEASURE:-2}"
WARMUP="${WARMUP:-1}"
CPU="${CPU:-1}"
PAD="${PAD:-$([ "$(uname -m)" = x86_64 ] && echo 1 || echo 0)}"
FLAGS=""
TARGETS="$ROOT/target/ab"
if [ "$PAD" = 1 ]; then
    FLAGS="-C llvm-args=-x86-branches-within-32B-boundaries"
    TARGETS="$ROOT/target/ab-pad"
fi
FILTER="${3:-}"

WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

# One tree per commit (git archive: no worktree to clean up) and one
# target directory per side, kept between runs so the dependencies build
# once. (One shared directory would not do: both trees are the same
# package, and cargo takes the second for built already, from the first
# one's file times.)
build() {
    local rev="$1" dir="$WORK/$2" sha
    if [ "$rev" = . ]; then
        # The tracked files as they are now, as a commit that no branch
        # holds (`git stash create` touches neither the tree nor the index).
        sha="$(git stash create)"
        sha="${sha:-$(git rev-parse HEAD)}"
    else
        sha="$(git rev-parse --verify "$rev^{commit}")"
    fi
    mkdir -p "$dir/src"
    git archive "$sha" | tar -x -C "$dir/src"
    echo "ab: $2 = $rev ($sha): building benches/limits.rs" >&2
    (cd "$dir/src" && CARGO_TARGET_DIR="$TARGETS/$2" RUSTFLAGS="${RUSTFLAGS:-}${FLAGS:+ $FLAGS}" \
        bash "$ROOT/scripts/limits-bin.sh" --locked) \
        >"$dir/bin.path"
    [ -s "$dir/bin.path" ] || { echo "ab: no bench binary for $rev" >&2; exit 1; }
    # Copied beside its tree, with the pairs it lists.
    cp "$(cat "$dir/bin.path")" "$dir/limits"
    echo "ab: $2: $(sha256sum "$dir/limits" | cut -c1-16) $(stat -c %s "$dir/limits") bytes" >&2
    LIMITS_LIST=1 "$dir/limits" >"$dir/pairs.tsv" 2>/dev/null || : >"$dir/pairs.tsv"
}
build "$1" A
build "$2" B
if cmp -s "$WORK/A/limits" "$WORK/B/limits"; then
    echo "ab: A and B are the same binary: what follows is the noise of this machine" >&2
fi

for round in $(seq "$ROUNDS"); do
    for v in A B; do
        echo "ab: round $round/$ROUNDS, $v" >&2
        # criterion keeps its files under the working directory's target/.
        (cd "$WORK/$v" && taskset -c "$CPU" ./limits --bench --warm-up-time "$WARMUP" \
            --measurement-time "$MEASURE" ${FILTER:+"$FILTER"}) >"$WORK/$v.$round.txt" 2>/dev/null
    done
done

python3 - "$WORK" "$ROUNDS" <<'PY'
import os, re, sys
work, rounds = sys.argv[1], int(sys.argv[2])
unit = {"ps": 1e-3, "ns": 1.0, "µs": 1e3, "us": 1e3, "ms": 1e6, "s": 1e9}
best = {}
for v in "AB":
    for r in range(1, rounds + 1):
        text = open(os.path.join(work, f"{v}.{r}.txt"), encoding="utf-8").read()
        for m in re.finditer(r"^(limits [^\n]*?)\s*\n?\s*time:\s*\[\S+ \S+ (\S+) (\S+) \S+ \S+\]", text, re.M):
            ns = float(m.group(2)) * unit[m.group(3)]
            key = (v, m.group(1).strip())
            best[key] = min(best.get(key, ns), ns)
rows = sorted({k[1] for k in best}, key=lambda r: min(i for i, k in enumerate(best) if k[1] == r))
def fmt(ns):
    return "-" if ns is None else (f"{ns / 1e3:.2f} µs" if ns >= 1e3 else f"{ns:.1f} ns")
print(f"best of {rounds} alternating rounds (criterion medians)\n")
print("| row | A | B | B/A |")
print("|---|---:|---:|---:|")
for r in rows:
    a, b = best.get(("A", r)), best.get(("B", r))
    ratio = f"{b / a:.3f}" if a and b else "-"
    print(f"| {r} | {fmt(a)} | {fmt(b)} | {ratio} |")
pairs = []
for v in "AB":
    for line in open(os.path.join(work, v, "pairs.tsv"), encoding="utf-8"):
        g, crate, limit = line.rstrip("\n").split("\t")[:3]
        if (g, crate, limit) not in pairs:
            pairs.append((g, crate, limit))
shown = [p for p in pairs if any((v, f"{p[0]}/{p[1]}") in best and (v, f"{p[0]}/{p[2]}") in best for v in "AB")]
if shown:
    print("\n| crate row | limit row | ratio at A | ratio at B |")
    print("|---|---|---:|---:|")
    for g, crate, limit in shown:
        cells = []
        for v in "AB":
            c, l = best.get((v, f"{g}/{crate}")), best.get((v, f"{g}/{limit}"))
            cells.append(f"{c / l:.2f}x" if c and l else "-")
        print(f"| {g}/{crate} | {limit} | {cells[0]} | {cells[1]} |")
PY
