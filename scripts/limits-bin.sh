#!/usr/bin/env bash
# Builds benches/limits.rs of the crate in the working directory (extra
# arguments go to cargo) and prints the bench binary's path. Shared by
# scripts/limits.sh and scripts/ab.sh.
set -euo pipefail
cargo bench --bench limits --no-run --message-format=json "$@" 2>/dev/null |
    python3 -c 'import json, sys
for l in sys.stdin:
    m = json.loads(l)
    if m.get("reason") == "compiler-artifact" and m["target"]["name"] == "limits" and m.get("executable"):
        print(m["executable"])'
