#!/usr/bin/env python3
"""Print a recorded session, each reply under the command it answers.

  tests/servers/dump.py [tests/data/<server> ...]

Pairs tests/data/<server>/session.raw with session.cmds (one line per reply)
using the same minimal reply-end detector as record.py, and prints every line
as a Python bytes literal, so CR, LF, trailing spaces and non-ASCII bytes are
visible.  Exits non-zero when the two files do not pair up.  Std-lib only.
"""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from record import DEFAULT_OUT, SERVERS, reply_end  # noqa: E402


def dump(d):
    with open(os.path.join(d, "session.raw"), "rb") as f:
        raw = f.read()
    with open(os.path.join(d, "session.cmds"), encoding="utf-8") as f:
        cmds = f.read().splitlines()
    print("==== %s" % d)
    ok = True
    for cmd in cmds:
        end = reply_end(raw)
        if end is None:
            end = len(raw)
            if not raw:
                print("!! no reply left for %r" % cmd)
                ok = False
                break
        reply, raw = raw[:end], raw[end:]
        print(">> %s" % cmd)
        for line in reply.splitlines(keepends=True):
            print("   %r" % line)
    if raw:
        print("!! %d bytes not paired with a line of session.cmds: %r" % (len(raw), raw))
        ok = False
    return ok


def main():
    dirs = sys.argv[1:] or [os.path.join(DEFAULT_OUT, name) for name in SERVERS]
    ok = all([dump(d) for d in dirs])
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
