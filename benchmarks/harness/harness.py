#!/usr/bin/env python3
"""The side-by-side harness's helpers, called by bench.sh.

Subcommands:
  machine                      print the machine and tool versions as JSON
  dataset OUT --drivers N --entries M   write the standard dataset for PostgreSQL and Redis
  parse KIND FILE WORKLOAD SYSTEM COMMAND   turn a tool's output into one result line (JSON)
  polyline-baseline N          time pypolyline on the fixture line, one result line per operation
  swift-polyline JMH           turn ordo-one/benchmark's JMH export into result lines
  cache-coherence A B ROUNDS   time tag invalidation on instance A (10,000-entry tags
                               bulk-0…) and until instance B stops serving from memory
  route-paths POINTS PORT       pair up road vertices (lng,lat lines), ask for each route once,
                               print the paths of those that exist (W3's request list)
  pandana-table NAME EDGES VERTICES IDS ROUNDS
                               time pandana's shortest_path_lengths for every ordered pair of
                               IDS on the exported network (its preparation not timed)
  fences PORT WEBHOOK          define W2G's 10,000 fences (a 100 x 100 grid over the dataset's box)
  webhook-latency PORT SECONDS time from a write's acknowledgement to its event reaching a webhook
  report RESULTS_DIR           print the table, write results.json and chart.svg
"""

import datetime
import http.client
import json
import os
import platform
import random
import re
import subprocess
import sys
import time
import uuid

sys.path.insert(0, os.path.dirname(__file__))
import fixtures  # noqa: E402


def run(command):
    try:
        return subprocess.run(command, shell=True, capture_output=True, text=True, timeout=30).stdout.strip()
    except Exception:  # a missing tool is reported as unknown, not a failure
        return ""


def machine():
    cpu = ""
    for line in open("/proc/cpuinfo"):
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    memory_kb = int(next(l for l in open("/proc/meminfo") if l.startswith("MemTotal")).split()[1])
    info = {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory_gib": round(memory_kb / 1024 / 1024, 1),
        "kernel": platform.release(),
        "swift": run("swift --version 2>&1 | head -1"),
        "postgresql": run("psql --version"),
        "postgis": run("dpkg-query -W -f='${Version}' postgresql-15-postgis-3"),
        "redis": run("redis-server --version"),
        "wrk": run("wrk --version 2>&1 | head -1"),
        "nginx": run("nginx -v 2>&1"),
        "python": platform.python_version(),
    }
    print(json.dumps(info))


def dataset(out, drivers, entries):
    os.makedirs(out, exist_ok=True)
    with open(f"{out}/drivers.csv", "w") as csv, open(f"{out}/drivers.resp", "w") as resp:
        for user, kind, lat, lng in fixtures.drivers(drivers):
            csv.write(f"{user},{kind},SRID=4326;POINT({lng!r} {lat!r})\n")
            if kind == "current":
                resp.write(resp_command("GEOADD", "drivers", repr(lng), repr(lat), user))
    expires = (datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(days=1)).isoformat()
    with open(f"{out}/cache.csv", "w") as csv, open(f"{out}/cache.resp", "w") as resp:
        for key, value, tag in fixtures.cache_entries(entries):
            quoted = value.replace('"', '""')
            csv.write(f'{key},"{quoted}",general,"{{{tag}}}",{expires}\n')
            resp.write(resp_command("SET", key, value))


def resp_command(*parts):
    encoded = [p.encode() for p in parts]
    return f"*{len(encoded)}\r\n" + "".join(f"${len(p)}\r\n{p.decode()}\r\n" for p in encoded)


def to_ms(value, unit):
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}[unit]


def histogram_percentile(path, percentile):
    """The latency (µs) at `percentile` of the "microseconds count" lines in
    `path`, ranked as wrk ranks its own."""
    counts = {}
    for line in open(path):
        microseconds, count = line.split()
        counts[int(microseconds)] = counts.get(int(microseconds), 0) + int(count)
    rank = round(percentile / 100 * sum(counts.values()) + 0.5)
    seen = 0
    for microseconds in sorted(counts):
        seen += counts[microseconds]
        if seen >= rank:
            return microseconds
    return max(counts)


def parse(kind, path, workload, system, command):
    text = open(path).read()
    result = {"workload": workload, "system": system, "command": command}
    if os.environ.get("OPERATION"):
        result["operation"] = os.environ["OPERATION"]
    # Requests that carry several items (W2's batches) are counted in items.
    items = int(os.environ.get("ITEMS", "1"))
    if kind == "wrk":
        # One run, or the slices of one workload (bench.sh's `alternating`):
        # their requests over their time, their merged latencies.
        runs = re.findall(r"(\d+) requests in ([\d.]+)(us|ms|s|m),", text)
        milliseconds = sum(to_ms(duration, unit) for _, duration, unit in runs)
        # Answered requests only: a 503 or 504 is quick and is not an answer.
        result["errors"] = sum(int(count) for count in re.findall(r"Non-2xx or 3xx responses: (\d+)", text))
        result["throughput"] = (sum(int(requests) for requests, _, _ in runs) - result["errors"]) / milliseconds * 1000
        result["unit"] = "req/s"
        histogram = os.environ.get("HISTOGRAM")
        for percentile in ("50", "99"):
            if histogram:
                result[f"p{percentile}_ms"] = histogram_percentile(histogram, float(percentile)) / 1000
                continue
            match = re.search(rf"^\s+{percentile}(?:\.000)?%\s+([\d.]+)(us|ms|s)\b", text, re.M)
            if match:
                result[f"p{percentile}_ms"] = to_ms(match.group(1), match.group(2))
        if items > 1:
            result["throughput"] *= items
            result["unit"] = "updates/s"
    elif kind == "pgbench":
        result["throughput"] = float(re.search(r"tps = ([\d.]+)", text).group(1)) * items
        result["unit"] = "updates/s" if items > 1 else "tx/s"
        latency = re.search(r"latency average = ([\d.]+) ms", text)
        if latency:
            result["mean_ms"] = float(latency.group(1))
    elif kind == "redis":
        result["throughput"] = float(re.search(r"throughput summary: ([\d.]+) requests per second", text).group(1))
        result["unit"] = "req/s"
        summary = re.search(r"avg\s+min\s+p50\s+p95\s+p99\s+max\s*\n\s*([\d.]+)\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)", text)
        if summary:
            result["p50_ms"] = float(summary.group(3))
            result["p99_ms"] = float(summary.group(5))
    print(json.dumps(result))


def polyline_baseline(repeats):
    import pypolyline.cutil as cutil  # the Rust core's C interface

    points = fixtures.line()
    # pypolyline takes [longitude, latitude] pairs.
    coordinates = [[lng, lat] for lat, lng in points]
    for precision in (5, 6):
        encoded = cutil.encode_coordinates(coordinates, precision)
        for operation, call in (
            ("encode", lambda: cutil.encode_coordinates(coordinates, precision)),
            ("decode", lambda: cutil.decode_polyline(encoded, precision)),
        ):
            best = min(timed(call, repeats) for _ in range(5))
            print(json.dumps({
                "workload": "W6", "system": "pypolyline", "operation": f"{operation} p{precision}",
                "ns_per_point": best / len(points), "unit": "ns/point",
                "command": f"pypolyline.cutil.{operation} of the 1,000-point fixture line, best of 5 x {repeats}",
            }))


def timed(call, repeats):
    start = time.perf_counter_ns()
    for _ in range(repeats):
        call()
    return (time.perf_counter_ns() - start) / repeats


def swift_polyline(jmh_path):
    """Reads ordo-one/benchmark's JMH export: the p50 wall clock of each
    polyline_<operation>_p<precision>_1000_points benchmark, per point. A
    sample is 1,000 runs over the 1,000-point line (GeoCoreBenchmarks)."""
    units = {"ns": 1.0, "μs": 1e3, "us": 1e3, "ms": 1e6, "s": 1e9}
    for entry in json.load(open(jmh_path)):
        name = entry["benchmark"].rsplit(".", 1)[-1]
        match = re.match(r"polyline_(encode|decode)_p(\d)_1000_points$", name)
        if not match:
            continue
        wall = entry["secondaryMetrics"]["Time (wall clock)"]
        nanoseconds = wall["scorePercentiles"]["50.0"] * units[wall["scoreUnit"]]
        print(json.dumps({
            "workload": "W6", "system": "wayline", "operation": f"{match.group(1)} p{match.group(2)}",
            "ns_per_point": nanoseconds / 1_000_000, "unit": "ns/point",
            "command": "swift package --package-path benchmarks benchmark --target GeoCoreBenchmarks (p50 sample wall clock / 10^6 points)",
        }))


class Instance:
    """One keep-alive HTTP connection to a Wayline instance on loopback."""

    def __init__(self, port):
        # Generous: `/v1/cache/stats` scans the whole table (300,000 rows here)
        # while the cleanup job is removing the invalidated ones.
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)

    def call(self, method, path, body=None):
        self.connection.request(method, path, body=json.dumps(body) if body is not None else None,
                                headers={"Content-Type": "application/json"})
        response = self.connection.getresponse()
        data = response.read()
        return response.status, json.loads(data) if data else None


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def index_lag(port_a, port_b, token, seconds):
    """W9's lag: how long after instance A acknowledges a position instance B's
    index answers nearby with it. Every 100 ms for `seconds`, a marker driver
    is written to A at a fresh point, then B is asked for the nearest driver
    within 1 m of it every 2 ms until it is the marker (5 s at most)."""
    writer = http.client.HTTPConnection("127.0.0.1", port_a, timeout=30)
    reader = http.client.HTTPConnection("127.0.0.1", port_b, timeout=30)
    headers = {"Authorization": f"Bearer {token}"}
    lags, missed = [], 0
    end = time.monotonic() + seconds
    marker = str(uuid.uuid4())
    while time.monotonic() < end:
        lat, lng = -2.05 + random.random() * 0.2, 29.95 + random.random() * 0.3
        writer.request("PUT", f"/v1/locations/{marker}/current", json.dumps({"lat": lat, "lng": lng}),
                       {"Content-Type": "application/json"})
        response = writer.getresponse()
        response.read()
        acknowledged = time.monotonic()
        if response.status != 200:
            continue
        while True:
            reader.request("GET", f"/v1/nearby?lat={lat}&lng={lng}&radius_m=1&limit=1", headers=headers)
            found = json.loads(reader.getresponse().read())
            if any(r["user_id"] == marker for r in found.get("results", [])):
                lags.append((time.monotonic() - acknowledged) * 1000)
                break
            if time.monotonic() - acknowledged > 5:
                missed += 1
                break
            time.sleep(0.002)
        time.sleep(max(0, 0.1 - (time.monotonic() - acknowledged)))
    print(json.dumps({"workload": "W9", "system": "wayline", "operation": "index lag: acknowledged on one instance → nearby on another",
                      "p50_ms": percentile(lags, 0.5), "p99_ms": percentile(lags, 0.99),
                      "note": f"{len(lags)} probes, {missed} not seen within 5 s"}))


def cache_coherence(port_a, port_b, rounds):
    """Two measurements of the cache's invalidation, printed as result lines.

    1. POST /v1/cache/invalidate of a tag that 10,000 entries carry (bench.sh
       stored them as bulk-0, bulk-1, … through set_cache), on instance A.
    2. Cross-instance: an entry is written on A and read twice on B (the second
       read from B's memory, checked through B's counters); A invalidates its
       tag; B is then polled until it answers 404. The time from A's answer to
       B's first 404 is how long B's memory outlived the invalidation."""
    a, b = Instance(port_a), Instance(port_b)
    bulk = []
    for index in range(rounds["bulk"]):
        start = time.perf_counter()
        status, body = a.call("POST", "/v1/cache/invalidate", {"tags": [f"bulk-{index}"]})
        bulk.append((time.perf_counter() - start) * 1000)
        assert status == 200 and body["invalidated"] == 10000, body
    print(json.dumps({
        "workload": "W5", "system": "wayline", "operation": "invalidate a 10,000-entry tag",
        "p50_ms": percentile(bulk, 0.5), "p99_ms": percentile(bulk, 0.99), "max_ms": max(bulk),
        "command": f"POST /v1/cache/invalidate, {len(bulk)} tags of 10,000 entries each (harness.py cache-coherence)",
    }))

    lags = []
    stale_polls = 0
    memory_before = b.call("GET", "/v1/cache/stats")[1]["instance"]["memory_hits"]
    for index in range(rounds["cross"]):
        key, tag = f"coherence:{index}", f"coherence-tag:{index}"
        assert a.call("PUT", f"/v1/cache/{key}", {"value": index, "tags": [tag]})[0] == 200
        time.sleep(0.005)  # let the write's own notification pass, so B's copy stays
        assert b.call("GET", f"/v1/cache/{key}")[0] == 200
        assert b.call("GET", f"/v1/cache/{key}")[0] == 200
        assert a.call("POST", "/v1/cache/invalidate", {"tags": [tag]})[0] == 200
        returned = time.perf_counter()
        while b.call("GET", f"/v1/cache/{key}")[0] != 404:
            # The table already says no, so every 200 here came from B's memory.
            stale_polls += 1
            if time.perf_counter() - returned > 5:
                sys.exit(f"instance B still serves {key} 5 s after the invalidation")
        lags.append((time.perf_counter() - returned) * 1000)
    # Each round's second read comes from memory when B kept the entry; the
    # counter also holds the stale polls, which are taken out.
    from_memory = b.call("GET", "/v1/cache/stats")[1]["instance"]["memory_hits"] - memory_before - stale_polls
    print(json.dumps({
        "workload": "W5", "system": "wayline", "operation": "cross-instance L1 drop after invalidate",
        "p50_ms": percentile(lags, 0.5), "p99_ms": percentile(lags, 0.99), "max_ms": max(lags),
        "note": f"B served {from_memory} reads from memory before the invalidations, for {len(lags)} rounds",
        "command": f"{len(lags)} rounds: PUT on A, 2 GETs on B, invalidate on A, poll B until 404 (harness.py cache-coherence)",
    }))


GRID_ORIGIN = (43.0, 1.0)  # latitude, longitude of the first crossing
GRID_STEP = 0.0009  # degrees between streets, about 100 m


def grid_osm(side, path):
    """A side × side street grid as OpenStreetMap XML, for the NET workload: a
    network far larger than the extracts, of any size. Streets 100 m apart,
    each row and column cut into ways of ten blocks; every tenth a main road,
    every seventh row one-way (so both kinds of arc occur). Prints the route
    path between its far corners."""
    latitude, longitude = GRID_ORIGIN
    with open(path, "w") as out:
        out.write('<?xml version="1.0" encoding="UTF-8"?>\n<osm version="0.6" generator="wayline bench">\n')
        for y in range(side):
            for x in range(side):
                out.write(f'<node id="{y * side + x + 1}" version="1" lat="{latitude + y * GRID_STEP:.7f}" lon="{longitude + x * GRID_STEP:.7f}"/>\n')
        way = 0
        for axis in ("row", "column"):
            for line in range(side):
                for start in range(0, side - 1, 10):
                    along = range(start, min(start + 11, side))
                    nodes = [line * side + x + 1 for x in along] if axis == "row" else [y * side + line + 1 for y in along]
                    kind = "primary" if line % 10 == 0 else "residential"
                    oneway = '<tag k="oneway" v="yes"/>' if axis == "row" and line % 7 == 3 else ""
                    way += 1
                    refs = "".join(f'<nd ref="{node}"/>' for node in nodes)
                    out.write(f'<way id="{way}" version="1">{refs}<tag k="highway" v="{kind}"/>{oneway}</way>\n')
        out.write("</osm>\n")
    far = (side - 1) * GRID_STEP
    print(f"/route/v1/driving/{longitude:.7f},{latitude:.7f};{longitude + far:.7f},{latitude + far:.7f}?overview=false")


def grid_results(side, started, imported, served, rss_before_kb, rss_after_kb, import_summary):
    """NET's two result lines, from bench.sh's clock readings (seconds) and
    the serving instance's resident memory (kB) before the import and once it
    routed on the grid."""
    grid = f"{side} × {side} street grid"
    summary = import_summary.split(" from ")[0]  # "imported N road edges and M vertices"
    print(json.dumps({"workload": "NET", "system": "wayline", "operation": f"import-osm of a {grid}",
                      "note": f"{imported - started:.1f} s; {summary}", "command": "wayline import-osm grid.osm.pbf (harness.py grid-osm)"}))
    print(json.dumps({"workload": "NET", "system": "wayline", "operation": f"serving instance's reload of the {grid}",
                      "note": f"routes on it {served - imported:.1f} s after the import; resident memory "
                              f"{rss_before_kb / 1024:.0f} → {rss_after_kb / 1024:.0f} MB",
                      "command": "polls GET /route/v1/driving/<corner>;<corner> until it answers Ok"}))


def pandana_table(name, edges_csv, vertices_csv, ids_csv, rounds):
    """W7 against pandana, a C++ contraction-hierarchy library: the same
    network (each open direction an edge of its own, weighted by its cost),
    the same ordered pairs as the 100 × 100 table, its query timed alone."""
    import numpy
    import pandas
    import pandana

    vertices = pandas.read_csv(vertices_csv, header=None, names=["id", "x", "y"]).set_index("id")
    edges = pandas.read_csv(edges_csv, header=None, names=["gid", "source", "target", "cost", "reverse", "length"])
    forward = edges[edges.cost >= 0][["source", "target", "cost"]].rename(columns={"cost": "weight"})
    backward = edges[edges.reverse >= 0][["target", "source", "reverse"]].rename(
        columns={"target": "source", "source": "target", "reverse": "weight"})
    directed = pandas.concat([forward, backward], ignore_index=True)
    network = pandana.Network(vertices.x, vertices.y, directed.source, directed.target, directed[["weight"]], twoway=False)
    ids = [int(line) for line in open(ids_csv) if line.strip()]
    sources = numpy.repeat(ids, len(ids))
    targets = numpy.tile(ids, len(ids))
    times = []
    for _ in range(int(rounds)):
        started = time.perf_counter()
        lengths = network.shortest_path_lengths(sources, targets)
        times.append((time.perf_counter() - started) * 1000)
    times.sort()
    print(json.dumps({
        "workload": "W7", "system": "pandana", "operation": name, "mean_ms": sum(times) / len(times),
        "checksum": float(numpy.nansum(numpy.where(numpy.isfinite(lengths), lengths, 0))),
        "command": f"harness.py pandana-table {name} ({len(ids)} x {len(ids)} pairs, {rounds} rounds, preparation not timed)",
    }))


def route_paths(points_file, port):
    points = [line.strip() for line in open(points_file) if line.strip()]
    instance = Instance(port)
    for origin, destination in zip(points[0::2], points[1::2]):
        path = f"/route/v1/driving/{origin};{destination}"
        status, _ = instance.call("GET", path)
        if status == 200:
            print(path)


# W2G's grid (wrk/ingest_fences.lua uses the same constants): the standard
# dataset's box as 100 x 100 cells, a square fence of 0.0008 degrees
# (about 90 m) at each cell's centre.
SOUTH, WEST, CELL_LAT, CELL_LNG, HALF = -2.05, 29.95, 0.002, 0.003, 0.0004


def fences(port, webhook):
    """Defines W2G's fences through the API, one PUT each, all with `webhook`."""
    instance = Instance(port)
    for i in range(100):
        for j in range(100):
            lat, lng = SOUTH + (i + 0.5) * CELL_LAT, WEST + (j + 0.5) * CELL_LNG
            ring = [[lng - HALF, lat - HALF], [lng + HALF, lat - HALF], [lng + HALF, lat + HALF], [lng - HALF, lat + HALF], [lng - HALF, lat - HALF]]
            status, _ = instance.call("PUT", f"/v1/geofences/cell-{i}-{j}", {
                "geometry": {"type": "Polygon", "coordinates": [ring]}, "detect": ["enter", "exit"],
                "webhook": {"url": webhook, "secret": "w2g-benchmark-secret"}})
            if status not in (200, 201):
                sys.exit(f"PUT fence cell-{i}-{j}: HTTP {status}")


def webhook_latency(port, seconds):
    """W2G's delivery latency: a probe fence far from the dataset, its webhook
    a receiver in this process; every 100 ms for `seconds` a probe driver is
    written alternately inside and outside it, so each write makes one
    event, and events arrive in the order of the writes (per driver and
    fence). Prints one result line: acknowledgement → arrival, p50 and p99."""
    import http.server
    import threading
    arrivals, seen = [], set()

    class Receiver(http.server.BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            now = time.monotonic()
            event = json.loads(body).get("event_id")
            if event not in seen:
                seen.add(event)
                arrivals.append(now)
            self.send_response(204)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Receiver)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    instance = Instance(port)
    ring = [[9.99, 9.99], [10.01, 9.99], [10.01, 10.01], [9.99, 10.01], [9.99, 9.99]]
    instance.call("PUT", "/v1/geofences/latency-probe", {
        "geometry": {"type": "Polygon", "coordinates": [ring]},
        "webhook": {"url": f"http://127.0.0.1:{server.server_address[1]}/hook", "secret": "w2g-latency-probe"}})
    driver = str(uuid.uuid4())
    acknowledged = []
    end = time.monotonic() + seconds
    inside = True
    while time.monotonic() < end:
        status, _ = instance.call("PUT", f"/v1/locations/{driver}/current", {"lat": 10.0 if inside else 11.0, "lng": 10.0})
        if status == 200:
            acknowledged.append(time.monotonic())
            inside = not inside
        time.sleep(0.1)
    deadline = time.monotonic() + 5
    while len(arrivals) < len(acknowledged) and time.monotonic() < deadline:
        time.sleep(0.05)
    server.shutdown()
    instance.call("DELETE", "/v1/geofences/latency-probe")
    lags = [(arrived - acked) * 1000 for acked, arrived in zip(acknowledged, arrivals)]
    missing = len(acknowledged) - len(arrivals)
    print(json.dumps({"workload": "W2G", "system": "wayline", "operation": "write acknowledged → its event at the webhook",
                      "p50_ms": percentile(lags, 0.5) if lags else None, "p99_ms": percentile(lags, 0.99) if lags else None,
                      "note": f"{len(acknowledged)} probe crossings, one every 100 ms during the run; {missing} not delivered within 5 s"}))


if __name__ == "__main__":
    verb = sys.argv[1]
    if verb == "machine":
        machine()
    elif verb == "dataset":
        out = sys.argv[2]
        drivers = int(sys.argv[sys.argv.index("--drivers") + 1])
        entries = int(sys.argv[sys.argv.index("--entries") + 1])
        dataset(out, drivers, entries)
    elif verb == "parse":
        parse(*sys.argv[2:7])
    elif verb == "polyline-baseline":
        polyline_baseline(int(sys.argv[2]))
    elif verb == "swift-polyline":
        swift_polyline(sys.argv[2])
    elif verb == "cache-coherence":
        cache_coherence(int(sys.argv[2]), int(sys.argv[3]), {"bulk": int(sys.argv[4]), "cross": 200})
    elif verb == "index-lag":
        index_lag(int(sys.argv[2]), int(sys.argv[3]), sys.argv[4], float(sys.argv[5]))
    elif verb == "grid-osm":
        grid_osm(int(sys.argv[2]), sys.argv[3])
    elif verb == "grid-results":
        grid_results(int(sys.argv[2]), *map(float, sys.argv[3:6]), *map(int, sys.argv[6:8]), sys.argv[8])
    elif verb == "pandana-table":
        pandana_table(*sys.argv[2:7])
    elif verb == "route-paths":
        route_paths(sys.argv[2], int(sys.argv[3]))
    elif verb == "fences":
        fences(int(sys.argv[2]), sys.argv[3])
    elif verb == "webhook-latency":
        webhook_latency(int(sys.argv[2]), float(sys.argv[3]))
    elif verb == "report":
        import report
        report.main(sys.argv[2])
    else:
        sys.exit(f"unknown subcommand {verb}")
