#!/usr/bin/env bash
# The scale curve (docs/reliability.md, scenario 10): W1, W2 and W5 at 1×, 3×
# and 10× the standard dataset (WAYLINE_BENCH_SCALES, default "1 3 10"), one
# bench.sh run each, then one table of their rows with the serving instance's
# resident memory at each step. Beyond the cache memory level's capacity
# (100,000 entries) W5 measures the mix of memory and table hits a user would
# see; its "hits by level" row says which.
set -euo pipefail
cd "$(dirname "$0")/../.."
runs=()
for scale in ${WAYLINE_BENCH_SCALES:-1 3 10}; do
  WAYLINE_BENCH_SCALE=$scale WAYLINE_BENCH_WORKLOADS="${WAYLINE_BENCH_WORKLOADS:-W1 W2 W5}" benchmarks/harness/bench.sh
  runs+=("$(ls -d benchmarks/results/*/ | tail -1)")
done
python3 - "${runs[@]}" <<'PY'
import json, sys
print("| scale | workload | system | result | p50 | p99 |")
print("|---|---|---|---|---|---|")
for run in sys.argv[1:]:
    rows = [json.loads(line) for line in open(run + "results.jsonl")]
    scale = next((r["note"].split(":")[0] for r in rows if r["workload"] == "MEM"), "?")
    for r in rows:
        if r["system"] != "wayline" and r["workload"] != "MEM":
            continue
        result = f"{r['throughput']:,.0f} {r['unit']}" if "throughput" in r else r.get("operation", "")
        if "operation" in r and "throughput" in r:
            result += f" ({r['operation']})"
        if "note" in r and r["workload"] != "MEM":
            result += f" ({r['note']})"
        p50 = f"{r['p50_ms']:.2f} ms" if "p50_ms" in r else ""
        p99 = f"{r['p99_ms']:.2f} ms" if "p99_ms" in r else ""
        print(f"| {scale} | {r['workload']} | {r['system']} | {result} | {p50} | {p99} |")
PY
