#!/usr/bin/env bash
# Runs fuzz targets for a bounded time each: fuzz/run.sh [SECONDS] [TARGET...]
# New inputs go to fuzz/corpus/<target>/ (ignored by git); the committed
# seeds in fuzz/seeds/<target>/ and the inputs earlier runs found and kept
# (fuzz/found/<target>/, written by keep-found.sh) are only read; every
# one of them runs first, so each is a regression input. Any crash fails
# the script, and so does any input that takes longer than FUZZ_TIMEOUT
# seconds (default 5): work must stay linear in the input (issue #10).
#
# Each target first runs SECONDS with inputs of at most 4 KiB; then
# `payloads`, `decoder_chunks`, `one_reply` and `client` run SECONDS/2 more with inputs of up to
# 64 KiB (new inputs in fuzz/corpus/<target>_64k/), where a quadratic scan
# takes seconds instead of milliseconds and so hits the timeout.
set -euo pipefail
cd "$(dirname "$0")"
secs=${1:-60}
shift || true
timeout=${FUZZ_TIMEOUT:-5}
targets=("$@")
# The kept inputs of a target, when it has any.
found() { [ -d "found/$1" ] && echo "found/$1" || true; }
if [ ${#targets[@]} -eq 0 ]; then
    targets=(reply streaming_vs_complete decoder_chunks payloads roundtrip one_reply client session)
fi
for t in "${targets[@]}"; do
    mkdir -p "corpus/$t"
    echo "== fuzz $t for ${secs}s (inputs up to 4 KiB, ${timeout}s per input)"
    cargo +nightly fuzz run "$t" "corpus/$t" "seeds/$t" $(found "$t") -- \
        -max_total_time="$secs" -max_len=4096 -timeout="$timeout" \
        -dict=ftp.dict -print_final_stats=1
done
long_secs=$(( (secs + 1) / 2 ))
for t in "${targets[@]}"; do
    case "$t" in
        payloads | decoder_chunks | one_reply | client) ;;
        *) continue ;;
    esac
    mkdir -p "corpus/${t}_64k"
    echo "== fuzz $t for ${long_secs}s (inputs up to 64 KiB, ${timeout}s per input)"
    cargo +nightly fuzz run "$t" "corpus/${t}_64k" "corpus/$t" "seeds/$t" $(found "$t") -- \
        -max_total_time="$long_secs" -max_len=65536 -timeout="$timeout" \
        -dict=ftp.dict -print_final_stats=1
done
