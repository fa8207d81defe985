#!/usr/bin/env python3
"""Two promises about the public API, checked on rustdoc's JSON.

    scripts/api-check.py DOC.json ALLOWED-CRATE...

Reads the JSON that `cargo +nightly doc` writes with `-Z unstable-options
--output-format json` (public items only), and collects every item the
public items refer to: the types in signatures, fields and variants,
the traits implemented, the bounds. Fails, naming each item and where it
is used, when one belongs to a crate not in ALLOWED (this crate always
is). The README promises that no other crate's type appears in the API,
save the traits the optional features exist to implement.

Also fails on a public function that returns `impl Trait`: src/lib.rs
promises that iterators are named types, never `impl Iterator`.
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

    opaque = []
    for item in d["index"].values():
        if item["crate_id"] != 0:
            continue
        inner = item.get("inner") or {}
        walk(inner, item.get("name") or "(impl)")
        output = inner.get("function", {}).get("sig", {}).get("output")
        if isinstance(output, dict) and "impl_trait" in output:
            opaque.append(item.get("name"))
    bad, used = [], set()
    for rid, owners in seen.items():
        p = paths[rid]
        if p["crate_id"] == 0:
            continue
        crate = crates.get(p["crate_id"], str(p["crate_id"]))
        used.add(crate)
        if crate not in allowed:
            bad.append(f"{'::'.join(p['path'])} (used by {', '.join(sorted(owners))})")
    print(f"api-check: {doc}: the API names items of {', '.join(sorted(used)) or 'no other crate'}")
    if bad:
        print("api-check: items of crates not allowed here:", *sorted(bad), sep="\n  ")
    if opaque:
        print("api-check: functions that return impl Trait (return a named type):", *sorted(opaque), sep="\n  ")
    if bad or opaque:
        sys.exit(1)


main()
