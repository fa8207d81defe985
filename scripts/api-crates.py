#!/usr/bin/env python3
"""Which crates' items the public API names, from rustdoc's JSON.

    scripts/api-crates.py DOC.json ALLOWED-CRATE...

Reads the JSON that `cargo +nightly doc` writes with `-Z unstable-options
--output-format json` (public items only), and collects every item the
public items refer to: the types in signatures, fields and variants,
the traits implemented, the bounds. Fails, naming each item and where it
is used, when one belongs to a crate not in ALLOWED (this crate always
is). The README promises that no other crate's type appears in the API,
save the traits the optional features exist to implement.
"""
import json
import sys


def main():
    doc, allowed = sys.argv[1], set(sys.argv[2:])
    with open(doc) as f:
        d = json.load(f)
    crates = {int(k): v["name"] for k, v in d["external_crates"].items()}
    paths = d["paths"]
    seen = {}

    def walk(x, owner):
        if isinstance(x, dict):
            for k, v in x.items():
                if k in ("links", "docs", "span", "attrs"):
                    continue
                if k == "id" and str(v) in paths:
                    seen.setdefault(str(v), set()).add(owner)
                walk(v, owner)
        elif isinstance(x, list):
            for v in x:
                walk(v, owner)

    for item in d["index"].values():
        if item["crate_id"] == 0:
            walk(item.get("inner"), item.get("name") or "(impl)")
    bad, used = [], set()
    for rid, owners in seen.items():
        p = paths[rid]
        if p["crate_id"] == 0:
            continue
        crate = crates.get(p["crate_id"], str(p["crate_id"]))
        used.add(crate)
        if crate not in allowed:
            bad.append(f"{'::'.join(p['path'])} (used by {', '.join(sorted(owners))})")
    print(f"api-crates: {doc}: the API names items of {', '.join(sorted(used)) or 'no other crate'}")
    if bad:
        print("api-crates: items of crates not allowed here:", *sorted(bad), sep="\n  ")
        sys.exit(1)


main()
