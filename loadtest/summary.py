"""Print the load run's summary (written by loadtest/locustfile.py) as a table; exit 1 on errors.

    python loadtest/summary.py var/load/summary.json [--p95-limit-ms 200]

The p95 limit applies to the list and detail groups (issue 9's target); the other groups are shown.
"""

from __future__ import annotations

import argparse
import json
import sys


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("summary")
    parser.add_argument("--p95-limit-ms", type=float, default=200.0)
    args = parser.parse_args()
    with open(args.summary, encoding="utf-8") as fh:
        data = json.load(fh)
    total = data["total"]
    print(f"{data['users']} users for {data['seconds']:.0f} s: {total['requests']:,} requests, "
          f"{total['rps']:.1f} req/s sustained, {total['errors']} errors")
    print()
    header = f"{'group / endpoint':<40} {'requests':>8} {'req/s':>6} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7} {'max ms':>7} {'errors':>6}"
    print(header)
    print("-" * len(header))

    def row(name, f):
        print(f"{name:<40} {f['requests']:>8,} {f['rps']:>6.1f} {f['p50']:>7.0f} {f['p95']:>7.0f} {f['p99']:>7.0f} "
              f"{f['max']:>7.0f} {f['errors']:>6}")

    for group, figures in data["groups"].items():
        row(group.upper(), figures)
        for name, f in data["endpoints"].items():
            if name.split(" ", 1)[0] == group:
                row("  " + name.split(" ", 1)[1], f)
    row("ALL", total)
    print()
    failures = []
    if total["errors"]:
        failures.append(f"{total['errors']} errors")
    for group in ("list", "detail"):
        f = data["groups"].get(group)
        if f and f["p95"] > args.p95_limit_ms:
            failures.append(f"{group} p95 {f['p95']:.0f} ms > {args.p95_limit_ms:.0f} ms")
    if failures:
        print("target missed: " + "; ".join(failures))
        return 1
    print(f"target met: 0 errors, list and detail p95 under {args.p95_limit_ms:.0f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
