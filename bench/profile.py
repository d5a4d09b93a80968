#!/usr/bin/env python3
"""Where the server's CPU went in one profile of `bench/run.py --perf DIR`.

    python3 bench/profile.py DIR/sqlite-0-day-view-hubs-polch.data [--top 25]

Reads `perf script` (Debian perf) and prints two tables, as shares of all samples:
- by function (self): the frame each sample was taken in;
- by RegioHub function (inclusive): the innermost `regiohub::` frame on each sample's stack, so
  library and kernel work is charged to the code of ours that asked for it ("other" = samples
  with no RegioHub frame: the HTTP server, the runtime, the kernel's network stack).
"""

import argparse
import collections
import re
import subprocess

# `perf script -F ip,sym` prints each frame as "<hex address> <symbol>", leaf first, samples apart.
FRAME = re.compile(r"^\s*[0-9a-f]+\s+(.*)$")
# Generic arguments and closures make one function many symbols; they are folded into one.
GENERICS = re.compile(r"<[^<>]*>")


def short(symbol):
    symbol = symbol.replace(" (inlined)", "")
    while True:
        folded = GENERICS.sub("", symbol)
        if folded == symbol:
            break
        symbol = folded
    return symbol[:100] or "[unknown]"


def samples(path):
    script = subprocess.run(["perf", "script", "-F", "ip,sym", "-i", path], capture_output=True, text=True, check=True)
    for block in script.stdout.split("\n\n"):
        frames = [m.group(1) for line in block.splitlines() if (m := FRAME.match(line))]
        if frames:
            yield frames


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("data", help="a perf.data file written by bench/run.py --perf")
    parser.add_argument("--top", type=int, default=25)
    args = parser.parse_args()
    own = collections.Counter()
    ours = collections.Counter()
    total = 0
    for frames in samples(args.data):
        total += 1
        own[short(frames[0])] += 1
        ours[next((short(f) for f in frames if f.startswith("regiohub::")), "other")] += 1
    if not total:
        raise SystemExit(f"{args.data}: no samples")
    for title, counts in [("by function (self)", own), ("by RegioHub function (inclusive)", ours)]:
        print(f"\n{title}, {total} samples")
        for name, count in counts.most_common(args.top):
            print(f"{100 * count / total:6.1f} %  {name}")


if __name__ == "__main__":
    main()
