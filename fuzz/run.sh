#!/usr/bin/env bash
# Runs fuzz targets for a bounded time each: fuzz/run.sh [SECONDS] [TARGET...]
# New inputs go to fuzz/corpus/<target>/ (ignored by git); the committed
# seeds in fuzz/seeds/<target>/ are only read. Any crash fails the script.
set -euo pipefail
cd "$(dirname "$0")"
secs=${1:-60}
shift || true
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
    targets=(reply streaming_vs_complete decoder_chunks payloads roundtrip)
fi
for t in "${targets[@]}"; do
    mkdir -p "corpus/$t"
    echo "== fuzz $t for ${secs}s"
    cargo +nightly fuzz run "$t" "corpus/$t" "seeds/$t" -- \
        -max_total_time="$secs" -max_len=4096 -dict=ftp.dict \
        -print_final_stats=1
done
