#!/usr/bin/env bash
# Fills fuzz/seeds/<target>/ from the real-server recordings in
# tests/data/**/*.raw and the published replies of
# tests/data/published/replies.txt, plus the hand-written seeds in
# fuzz/seeds/common/.
# For decoder_chunks each seed is prefixed with chunking bytes (see the
# layout in fuzz_targets/decoder_chunks.rs): byte by byte, 7-byte chunks,
# and a mixed 1/64/3-byte schedule. fuzz/seeds/client/ is written by
# fuzz/client_seeds.py, fuzz/seeds/session/ by fuzz/session_seeds.py.
set -euo pipefail
cd "$(dirname "$0")/.."
shopt -s nullglob globstar
targets=(reply streaming_vs_complete payloads roundtrip)
for t in "${targets[@]}" decoder_chunks; do mkdir -p "fuzz/seeds/$t"; done
# The published replies (tests/data/published/replies.txt), every
# section's reply lines with CRLF, as one more recording.
published=$(mktemp -d)/published_replies.raw
trap 'rm -rf "$(dirname "$published")"' EXIT
python3 - "$published" <<'PY'
import sys
out = bytearray()
for line in open("tests/data/published/replies.txt", encoding="utf-8"):
    if line.startswith("| "):
        out += line[2:].rstrip("\n").encode() + b"\r\n"
open(sys.argv[1], "wb").write(out)
PY
for f in tests/data/**/*.raw "$published" fuzz/seeds/common/*; do
    name=$(echo "${f#tests/data/}" | tr '/' '_')
    name=${name#fuzz_seeds_}
    [[ $f == "$published" ]] && name=published_replies.raw
    for t in "${targets[@]}"; do
        cp "$f" "fuzz/seeds/$t/$name"
    done
    # k = 0: byte by byte; k = 6 << 3: 7-byte chunks; k = 3: table 0,63,2.
    { printf '\000'; cat "$f"; } > "fuzz/seeds/decoder_chunks/bytes_$name"
    { printf '\060'; cat "$f"; } > "fuzz/seeds/decoder_chunks/seven_$name"
    { printf '\003\000\077\002'; cat "$f"; } > "fuzz/seeds/decoder_chunks/mixed_$name"
done
# The client engine's seeds are scripted sessions (see client_seeds.py).
python3 fuzz/client_seeds.py fuzz/seeds/client
# So are client::Session's (see session_seeds.py).
python3 fuzz/session_seeds.py
echo "seeded from $(ls tests/data/**/*.raw | wc -l) recordings"
