#!/usr/bin/env bash
# Fills fuzz/seeds/<target>/ from the real-server recordings in
# tests/data/**/*.raw, plus the hand-written seeds in fuzz/seeds/common/.
# For decoder_chunks each seed is prefixed with chunking bytes (see the
# layout in fuzz_targets/decoder_chunks.rs): byte by byte, 7-byte chunks,
# and a mixed 1/64/3-byte schedule. fuzz/seeds/client/ is written by
# fuzz/client_seeds.py.
set -euo pipefail
cd "$(dirname "$0")/.."
shopt -s nullglob globstar
targets=(reply streaming_vs_complete payloads roundtrip)
for t in "${targets[@]}" decoder_chunks; do mkdir -p "fuzz/seeds/$t"; done
for f in tests/data/**/*.raw fuzz/seeds/common/*; do
    name=$(echo "${f#tests/data/}" | tr '/' '_')
    name=${name#fuzz_seeds_}
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
echo "seeded from $(ls tests/data/**/*.raw | wc -l) recordings"
