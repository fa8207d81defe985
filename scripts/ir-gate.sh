#!/usr/bin/env bash
# Issue #12's instruction ratios, gated: each row of benches/limits.rs
# below against its limit, in instructions per item counted by callgrind
# (scripts/ir-count.sh), which do not move between runs of one binary as
# times do. The rows whose targets are met in instructions (the 214
# framing 1.3x, `commands()` 1.5x, the decoder at 1-byte pushes 2x the
# per-byte floor) fail above their targets, so the README's "met" for
# them is checked; the missed rows fail above a ceiling just over where
# they stand (as scripts/size.sh gates the flash figures), so they cannot
# grow back unseen. On a CPU without AVX2 memchr's SSE2 routines count
# more instructions in the limits than here, which only lowers a ratio.
#
#   scripts/ir-gate.sh        (about a minute after the bench's build)
#
# Needs valgrind (Debian's valgrind package).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
OUT="$(mktemp -d)"
trap 'rm -rf "$OUT"' EXIT
# group, row, limit row, items per iteration, ceiling, what the ceiling is.
cat >"$OUT/gates.tsv" <<'TSV'
limits 214 framing	ftp-reply parse	per-line floor (memchr_iter)	1	1.30	target (met)
limits 214 commands	ftp-reply parse+commands	read_line+split	1	1.50	target (met)
limits decoder 1B	Decoder 1B pushes	per-byte floor	10000	2.00	target (met)
limits 227	ftp-reply parse+passive	hand-written 227 loop	1	1.53	ceiling (target 1.2x, missed)
limits stream walk	ftp-reply walk	per-line floor (memchr_iter)	10000	1.95	ceiling (target 1.2x, missed)
limits decoder	Decoder 1460B pushes	ftp-reply walk	10000	1.35	ceiling (target 1.2x, missed)
limits decoder	Decoder 536B pushes	ftp-reply walk	10000	1.45	ceiling (target 1.2x, missed)
limits decoder	Decoder 16B pushes	ftp-reply walk	10000	2.08	ceiling (target 1.5x, missed)
TSV
python3 - "$OUT/gates.tsv" >"$OUT/rows.tsv" <<'PY'
import sys
seen = []
for l in open(sys.argv[1]):
    g, c, lim, per, _, _ = l.rstrip('\n').split('\t')
    for r in (c, lim):
        if f'{g}/{r}\t{per}' not in seen:
            seen.append(f'{g}/{r}\t{per}')
print('\n'.join(seen))
PY
bash scripts/ir-count.sh <"$OUT/rows.tsv" >"$OUT/ir.tsv"
python3 - "$OUT/gates.tsv" "$OUT/ir.tsv" <<'PY'
import sys
ir = dict(l.rstrip('\n').split('\t') for l in open(sys.argv[2]))
failed = []
for l in open(sys.argv[1]):
    g, c, lim, per, ceiling, what = l.rstrip('\n').split('\t')
    per = int(per)
    a, b = int(ir[f'{g}/{c}']), int(ir[f'{g}/{lim}'])
    ratio = a / b
    ok = ratio <= float(ceiling)
    print(f'ir-gate: {g}: {c} {a / per:.1f} / {lim} {b / per:.1f} instructions per item'
          f' = {ratio:.3f}x (<= {ceiling}x, {what}): {"ok" if ok else "OVER"}')
    if not ok:
        failed.append(f'{g}/{c}')
if failed:
    print('ir-gate: FAIL: ' + ', '.join(failed))
    sys.exit(1)
print('ir-gate: every row within its gate')
PY
