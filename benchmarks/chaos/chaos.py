#!/usr/bin/env python3
"""`make chaos`: fault injection against a Wayline binary on loopback.

Runs the scenarios of docs/reliability.md, each against processes and a
PostgreSQL cluster the harness starts itself, prints one table (scenario,
figure, value, target, pass) and writes it as JSON beside the benchmark
results (benchmarks/results/<UTC time>/chaos.json). Exits non-zero when a
target is missed. `--short` runs the CI form: scenarios 1, 4 and 6, shorter.
Scenarios 9 and 10 are benchmark rows: they run the benchmark harness
(bench.sh, scale.sh; about 20 minutes) and their rows carry no verdict.

    chaos.py [--binary PATH] [--short] [--only 1,4] [--soak-seconds 600]
"""
import argparse
import asyncio
import json
import os
import resource
import shutil
import sys
import tempfile
import time
import traceback
from pathlib import Path

import benchrows
import scenarios

ROOT = Path(__file__).resolve().parents[2]

ALL = {
    "1": scenarios.postgres_killed,
    "2": scenarios.embedded_loses_postgres,
    "3": scenarios.unreachable_at_start,
    "4": scenarios.slow_database,
    "5": scenarios.overload,
    "6": scenarios.sigterm_under_load,
    "7": scenarios.slow_clients,
    "8": None,  # soak: its length comes from the command line
    "9": benchrows.mixed_dispatch_load,
    "10": benchrows.scale_curve,
}
SHORT = ["1", "4", "6"]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--binary", default=str(ROOT / ".build/release/wayline"))
    parser.add_argument("--short", action="store_true")
    parser.add_argument("--only", default=None)
    parser.add_argument("--soak-seconds", type=int, default=600)
    args = parser.parse_args()
    # The harness holds thousands of connections (scenarios 5 and 7).
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))

    chosen = args.only.split(",") if args.only else SHORT if args.short else list(ALL)
    workdir = Path(tempfile.mkdtemp(prefix="wayline-chaos-"))
    context = scenarios.Context(os.path.abspath(args.binary), workdir, args.short)
    rows = []
    for number in chosen:
        scenario = ALL[number] or (lambda ctx: scenarios.soak(ctx, 60 if ctx.short else args.soak_seconds))
        print(f"\n== scenario {number}: {(scenario.__doc__ or 'soak').strip().splitlines()[0]}", file=sys.stderr, flush=True)
        started = time.monotonic()
        try:
            outcome = scenario(context)
            rows += asyncio.run(outcome) if asyncio.iscoroutine(outcome) else outcome
        except Exception as error:
            traceback.print_exc()
            rows.append({"scenario": number, "figure": "ran to the end", "value": f"{type(error).__name__}: {error}",
                         "target": "no error", "pass": False})
        print(f"   ({time.monotonic() - started:.0f} s)", file=sys.stderr, flush=True)

    print_table(rows)
    results = ROOT / "benchmarks" / "results" / time.strftime("%Y%m%dT%H%M%SZ", time.gmtime())
    results.mkdir(parents=True, exist_ok=True)
    (results / "chaos.json").write_text(json.dumps({"short": args.short, "binary": args.binary, "rows": rows}, indent=1) + "\n")
    print(f"\nwritten to {results / 'chaos.json'}", file=sys.stderr)
    if any(row["pass"] is False for row in rows):
        print(f"logs kept in {workdir}", file=sys.stderr)
        sys.exit(1)
    shutil.rmtree(workdir, ignore_errors=True)


def print_table(rows):
    print("| scenario | figure | value | target | pass |")
    print("|---|---|---|---|---|")
    for row in rows:
        verdict = {True: "yes", False: "**NO**", None: "–"}[row["pass"]]
        print(f"| {row['scenario']} | {row['figure']} | {row['value']} | {row['target']} | {verdict} |")


if __name__ == "__main__":
    main()
