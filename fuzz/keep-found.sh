#!/usr/bin/env bash
# Keeps what the fuzzers found: for each target, merges fuzz/corpus/<target>/
# (ignored by git; what local runs found) into fuzz/found/<target>/
# (committed), taking only inputs that reach an edge that neither the seeds
# nor the inputs already kept reach (libFuzzer's -merge=1 with
# -use_counters=0: edges, not hit counts, so few inputs are kept). Only
# corpus/<target>/ is read, whose inputs run.sh caps at 4 KiB; the 64 KiB
# corpora are for finding slow inputs, not coverage. run.sh reads fuzz/found/<target>/ as a corpus of its own,
# so that a short run on a fresh clone (CI's 60 s) starts where long local
# runs got to instead of where the seeds are.
#
#   fuzz/keep-found.sh [TARGET...]      # after fuzz/run.sh or a long local run
set -euo pipefail
cd "$(dirname "$0")"
cargo +nightly fuzz build >/dev/null
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
    # Every target the fuzz package builds.
    mapfile -t targets < <(cargo +nightly fuzz list)
fi
bin=target/x86_64-unknown-linux-gnu/release
for t in "${targets[@]}"; do
    [ -d "corpus/$t" ] || { echo "$t: no corpus/$t, nothing to keep"; continue; }
    mkdir -p "found/$t"
    work=$(mktemp -d)
    cp "seeds/$t"/* "$work"/
    before=$(ls "found/$t" | wc -l)
    # The seeds and the inputs kept so far first: they are kept whole, and
    # an input of corpus/ comes in only if it adds an edge to all of them.
    cp "found/$t"/* "$work"/ 2>/dev/null || true
    "$bin/$t" -merge=1 -use_counters=0 -max_len=4096 "$work" "corpus/$t" >"$work.log" 2>&1 ||
        { cat "$work.log"; exit 1; }
    # What the merge added (libFuzzer names a new input by its SHA-1).
    for f in "$work"/*; do
        name=$(basename "$f")
        [ -e "seeds/$t/$name" ] || [ -e "found/$t/$name" ] || cp "$f" "found/$t/$name"
    done
    after=$(ls "found/$t" | wc -l)
    echo "$t: $((after - before)) inputs kept ($after in found/$t)"
    rm -rf "$work" "$work.log"
done
