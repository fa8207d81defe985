#!/usr/bin/env bash
# Instructions per iteration of rows of benches/limits.rs, counted by
# callgrind: reads lines `group/row<TAB>items per iteration` on standard
# input and writes `group/row<TAB>instructions per iteration`. Each row
# runs under `valgrind --tool=callgrind` once with 1 iteration and once
# with 1+K (K = 100 for a single reply, 2 for a stream); the difference
# over K is the count per iteration (start-up, and the first call's
# one-time work such as memchr's CPU detection, cancel out). The counts
# do not move between runs of one binary. Shared by scripts/limits.sh and
# scripts/ir-gate.sh.
#
# Env: BIN (the bench binary; default: built by scripts/limits-bin.sh).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
command -v valgrind >/dev/null || { echo "ir-count: valgrind is not installed" >&2; exit 1; }
BIN="${BIN:-$(cd "$ROOT" && bash scripts/limits-bin.sh)}"
[ -x "$BIN" ] || { echo "ir-count: no bench binary" >&2; exit 1; }
OUT="$(mktemp -d)"
trap 'rm -rf "$OUT"' EXIT
while IFS=$'\t' read -r row per; do
    if [ "$per" -gt 1 ]; then k=2; else k=100; fi
    irs=()
    for n in 1 $((1 + k)); do
        LIMITS_ROW="$row" LIMITS_ITERS="$n" valgrind --tool=callgrind \
            --callgrind-out-file="$OUT/cg.out" "$BIN" >/dev/null 2>"$OUT/cg.err" ||
            { cat "$OUT/cg.err" >&2; exit 1; }
        irs+=("$(sed -n 's/^totals: \([0-9]*\).*/\1/p' "$OUT/cg.out")")
    done
    echo "ir-count: callgrind $row: ${irs[0]} / ${irs[1]} instructions for 1 / $((1 + k)) iterations" >&2
    printf '%s\t%s\n' "$row" "$(( (irs[1] - irs[0]) / k ))"
done
