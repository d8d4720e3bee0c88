"""Turns a run's result lines into the table the README shows, results.json
and a bar chart (SVG) of every ratio.

Ratios are always "Wayline divided by the alternative" for throughput and
"alternative divided by Wayline" for time per item, so above 1 means Wayline
is faster. HTTP workloads are also divided by W0, the same server's ceiling,
as measured in slices alternating with theirs (bench.sh's `alternating`)
where there are such.
"""

import json
import os

TITLES = {
    "W0": "HTTP ceiling (GET /health)",
    "W1": "nearby drivers, k=10 within 2 km",
    "W1F": "W1 with where=status:available (a fifth pass), vs unfiltered",
    "W1A": "W1 with a service token (vs without access control)",
    "W2": "position ingest",
    "W2G": "W2 with 10,000 geofences, a tenth of the updates crossing one (vs no fence)",
    "W3": "cached route hit",
    "W4": "route computation",
    "W5": "cache GET hit",
    "W5A": "W5 with a service token (vs without access control)",
    "W6": "polyline codec",
    "W7": "table 100 x 100",
    "W8": "nearby by road time, k=10 within 3 km (Andorra)",
    "W9": "mixed dispatch load",
    "MEM": "the serving instance",
    "NET": "a larger road network",
    "IX": "locations.coordinates index candidates",
}


def main(directory):
    machine = json.load(open(os.path.join(directory, "machine.json")))
    results = [json.loads(line) for line in open(os.path.join(directory, "results.jsonl")) if line.strip()]
    rows, ratios = table(results)

    lines = [
        f"Machine: {machine['cpu']}, {machine['cores']} cores, {machine['memory_gib']} GiB; {machine['swift']};",
        f"{machine['postgresql']}, PostGIS {machine['postgis']}; {'; '.join(machine[k] for k in ('redis', 'wrk', 'nginx') if k in machine)}.",
        "",
        "| workload | system | result | p50 | p99 | vs W0 | Wayline ÷ it |",
        "|---|---|---|---|---|---|---|",
    ]
    lines += rows
    text = "\n".join(lines)
    print(text)
    with open(os.path.join(directory, "table.md"), "w") as handle:
        handle.write(text + "\n")
    with open(os.path.join(directory, "results.json"), "w") as handle:
        json.dump({"machine": machine, "results": results, "ratios": ratios}, handle, indent=2)
    with open(os.path.join(directory, "chart.svg"), "w") as handle:
        handle.write(chart(ratios))


def table(results):
    rows, ratios = [], []
    headline = next(
        (r["throughput"] for r in results if r["workload"] == "W0" and r["system"] == "wayline" and "operation" not in r), None
    )

    def ceiling(workload):
        """W0 as measured alternating with `workload` (bench.sh), else the run's W0."""
        around = (r["throughput"] for r in results if r["workload"] == "W0" and r.get("operation") == f"around {workload}")
        return next(around, headline)

    # The W workloads in order, then NET, then IX (a measurement of PostgreSQL alone).
    last = {"NET": 1, "IX": 2}
    for workload in sorted({r["workload"] for r in results}, key=lambda workload: (last.get(workload, 0), workload)):
        entries = [r for r in results if r["workload"] == workload]
        ours = [r for r in entries if r["system"] == "wayline"]
        for entry in entries:
            vs_ceiling = ""
            versus = ""
            if "throughput" in entry:
                result = f"{entry['throughput']:,.0f} {entry['unit']}" + (f" ({entry['operation']})" if "operation" in entry else "")
                if entry.get("errors"):
                    result += f" ({entry['errors']:,} more answered non-2xx, not counted)"
                if entry["system"] == "wayline" and ceiling(workload) and workload != "W0" and entry.get("unit") == "req/s":
                    vs_ceiling = f"{entry['throughput'] / ceiling(workload):.2f}×"
                same = [o for o in ours if o.get("operation") == entry.get("operation")]
                if entry["system"] != "wayline" and ours and "throughput" in ours[0]:
                    ratio = ours[0]["throughput"] / entry["throughput"]
                    versus = f"{ratio:.2f}×"
                    ratios.append({"label": f"{workload} vs {entry['system']}", "ratio": ratio})
                elif entry["system"] != "wayline" and same and "p50_ms" in same[0] and "mean_ms" in entry:
                    # Per-query time in-process against the alternative's (one client).
                    ratio = entry["mean_ms"] / same[0]["p50_ms"]
                    versus = f"{ratio:.0f}× ({entry['operation']})"
                    ratios.append({"label": f"{workload} {entry['operation']} vs {entry['system']}", "ratio": ratio})
            elif "ns_per_point" not in entry:
                result = entry["operation"] + (f" ({entry['note']})" if "note" in entry else "")
                same = [o for o in ours if o.get("operation") == entry.get("operation") and "p50_ms" in o]
                if entry["system"] != "wayline" and same and "mean_ms" in entry:
                    # A library's own timing of the same work (pandana), against ours.
                    ratio = entry["mean_ms"] / same[0]["p50_ms"]
                    versus = f"{ratio:.0f}× ({entry['operation']})"
                    ratios.append({"label": f"{workload} {entry['operation']} vs {entry['system']}", "ratio": ratio})
            else:
                result = f"{entry['ns_per_point']:.2f} ns/point ({entry['operation']})"
                if entry["system"] != "wayline":
                    match = [o for o in ours if o.get("operation") == entry.get("operation")]
                    if match:
                        ratio = entry["ns_per_point"] / match[0]["ns_per_point"]
                        versus = f"{ratio:.2f}×"
                        ratios.append({"label": f"{workload} {entry['operation']} vs {entry['system']}", "ratio": ratio})
            p50 = f"{entry['p50_ms']:.2f} ms" if "p50_ms" in entry else ("" if "mean_ms" not in entry else f"{entry['mean_ms']:.2f} ms (mean)")
            p99 = f"{entry['p99_ms']:.2f} ms" if "p99_ms" in entry else ""
            rows.append(f"| {workload} {TITLES.get(workload, '')} | {entry['system']} | {result} | {p50} | {p99} | {vs_ceiling} | {versus} |")
        # IX measures PostgreSQL alone: it has no Wayline row by design.
        if not ours and workload not in ("W0", "IX"):
            rows.append(f"| {workload} {TITLES.get(workload, '')} | wayline | not built yet | | | | |")
    return rows, ratios


def chart(ratios):
    """A horizontal bar per ratio, with a line at 1 (parity)."""
    width, bar, gap, left = 720, 22, 8, 300
    height = 40 + len(ratios) * (bar + gap)
    top = max([r["ratio"] for r in ratios] + [1.0])
    scale = (width - left - 60) / top
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" font-family="sans-serif" font-size="12">',
        f'<text x="10" y="20" font-weight="bold">Wayline relative to the alternative (above 1 = Wayline faster)</text>',
    ]
    for index, entry in enumerate(ratios):
        y = 34 + index * (bar + gap)
        length = entry["ratio"] * scale
        color = "#2a7" if entry["ratio"] >= 1 else "#c44"
        parts.append(f'<text x="{left - 8}" y="{y + bar - 6}" text-anchor="end">{entry["label"]}</text>')
        parts.append(f'<rect x="{left}" y="{y}" width="{length:.1f}" height="{bar}" fill="{color}"/>')
        parts.append(f'<text x="{left + length + 4:.1f}" y="{y + bar - 6}">{entry["ratio"]:.2f}×</text>')
    parity = left + scale
    parts.append(f'<line x1="{parity:.1f}" y1="28" x2="{parity:.1f}" y2="{height - 4}" stroke="#333" stroke-dasharray="4 3"/>')
    parts.append("</svg>")
    return "\n".join(parts) + "\n"
