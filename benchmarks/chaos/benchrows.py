"""Scenarios 9 and 10, which are benchmark rows rather than pass/fail
targets: `make chaos` runs them through the benchmark harness (bench.sh,
scale.sh) and brings the rows those runs wrote into its own table."""
import json
import os
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
RESULTS = ROOT / "benchmarks" / "results"


def mixed_dispatch_load(ctx):
    """mixed dispatch load (benchmark row W9)"""
    return _run("9 mixed dispatch load", ["benchmarks/harness/bench.sh"], {"WAYLINE_BENCH_WORKLOADS": "W9"}, {"W9"})


def scale_curve(ctx):
    """scale curve (W1, W2, W5 at 1x, 3x and 10x the standard dataset)"""
    return _run("10 scale curve", ["benchmarks/harness/scale.sh"], {}, {"W1", "W2", "W5", "MEM"})


def _run(scenario, command, env, workloads):
    before = set(RESULTS.iterdir()) if RESULTS.exists() else set()
    subprocess.run(command, cwd=ROOT, env={**os.environ, **env}, check=True, stdout=subprocess.DEVNULL)
    rows = []
    for run in sorted(set(RESULTS.iterdir()) - before):
        lines = (run / "results.jsonl").read_text().splitlines() if (run / "results.jsonl").exists() else []
        measured = [json.loads(line) for line in lines]
        scale = next((m["note"].split(":")[0] for m in measured if m["workload"] == "MEM"), "")
        for m in measured:
            if m["workload"] in workloads and (m["system"] == "wayline" or m["workload"] == "MEM"):
                rows.append({"scenario": scenario, "figure": _figure(m, scale), "value": _value(m),
                             "target": f"benchmark row (run {run.name})", "pass": None})
    if not rows:
        raise RuntimeError(f"{' '.join(command)} wrote no rows")
    return rows


def _figure(m, scale):
    what = m.get("operation") or m["workload"]
    return f"{scale + ', ' if scale and m['workload'] != 'MEM' else ''}{m['workload']} {what}"


def _value(m):
    parts = []
    if "throughput" in m:
        parts.append(f"{m['throughput']:,.0f} {m['unit']}")
    if "p99_ms" in m:
        parts.append(f"p99 {m['p99_ms']:.1f} ms")
    if m.get("errors"):
        parts.append(f"{m['errors']} not 2xx")
    if "note" in m:
        parts.append(m["note"])
    return ", ".join(parts)
