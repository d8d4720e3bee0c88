"""The fault scenarios of issue 29. Each starts what it needs (a cluster, one
or more `wayline serve`), injects its fault on loopback only, drives bounded
traffic, and returns rows (scenario, figure, value, target, pass)."""
import asyncio
import contextlib
import datetime
import json
import multiprocessing
import os
import resource
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import traffic
from parts import Cluster, DelayProxy, Service, free_port
from traffic import Connection, Recorder, percentile


class Rows:
    def __init__(self, scenario):
        self.scenario = scenario
        self.rows = []

    def add(self, figure, value, target, passed):
        self.rows.append({"scenario": self.scenario, "figure": figure, "value": value, "target": target, "pass": bool(passed)})


def fmt(seconds):
    return "n/a" if seconds is None else f"{seconds * 1000:.0f} ms" if seconds < 1 else f"{seconds:.2f} s"


async def wait_ready(port, timeout=60):
    give_up = time.monotonic() + timeout
    while time.monotonic() < give_up:
        outcome = await Connection(port, timeout=2).request("ready", "GET", "/ready")
        if outcome.status == 200:
            return True
        await asyncio.sleep(0.1)
    return False


def lost_writes(cluster, recorder):
    """Acknowledged writes (2xx) whose driver's row is missing or holds another position."""
    acked = {o.info["user"]: o.info for o in recorder.of("write") if 200 <= o.status < 300}
    stored = {}
    for user, lat, lng in cluster.query("SELECT user_id, ST_Y(coordinates::geometry), ST_X(coordinates::geometry) FROM locations WHERE type = 'current'"):
        stored[user] = (float(lat), float(lng))
    lost = [user for user, fix in acked.items()
            if user not in stored or abs(stored[user][0] - fix["lat"]) > 1e-6 or abs(stored[user][1] - fix["lng"]) > 1e-6]
    return len(acked), len(lost)


def breakdown(outcomes):
    """What a list of outcomes holds, for the table: `n` and counts by kind and status or error."""
    counts = {}
    for o in outcomes:
        label = f"{o.kind} {o.error or o.status}"
        counts[label] = counts.get(label, 0) + 1
    return f"{len(outcomes)}" + (" (" + ", ".join(f"{k} ×{v}" for k, v in sorted(counts.items())) + ")" if counts else "")


class Context:
    def __init__(self, binary, workdir, short):
        self.binary = binary
        self.workdir = Path(workdir)
        self.short = short

    def cluster(self, name):
        return Cluster(self.binary, self.workdir / name)

    def service(self, env, name="wayline"):
        return Service(self.binary, self.workdir, env, name)


async def memory_level(port, token):
    """This instance's cache memory level, from `GET /v1/cache/stats`."""
    return ((await Connection(port, token).request("stats", "GET", "/v1/cache/stats")).json() or {}).get("instance", {})


def listener_closing(log_path):
    """When the service logged that it closes its listener (JSON log lines,
    milliseconds), on this process's `time.monotonic()` clock; infinity when
    it never did (every reset then counts as a cut)."""
    for line in open(log_path, encoding="utf-8", errors="replace"):
        if '"drained: closing the listener"' in line:
            logged = datetime.datetime.strptime(json.loads(line)["time"], "%Y-%m-%dT%H:%M:%S.%fZ")
            wall = logged.replace(tzinfo=datetime.timezone.utc).timestamp()
            return wall - (time.time() - time.monotonic())
    return float("inf")


@contextlib.asynccontextmanager
async def served(ctx, name, env=None):
    """A cluster of the scenario's own and one `serve` on it (with `env`
    added to its environment), ready; yields (cluster, service, a service
    token) and stops both afterwards."""
    cluster = ctx.cluster(f"{name}-pg")
    url = cluster.start()
    service = ctx.service({"DATABASE_URL": url, **(env or {})}, name).start()
    try:
        assert await wait_ready(service.port), "the service did not become ready"
        yield cluster, service, service.token()
    finally:
        service.stop()
        cluster.stop()


async def run_load(loops, seconds, stop):
    tasks = [asyncio.create_task(loop) for loop in loops]
    if seconds is not None:
        await asyncio.sleep(seconds)
        stop.set()
    return tasks


async def postgres_killed(ctx):
    """1. `kill -9` of the postmaster under writes, cache sets and nearby reads."""
    rows = Rows("1 PostgreSQL killed")
    async with served(ctx, "s1") as (cluster, service, token):
        recorder, stop = Recorder(), asyncio.Event()
        per_connection = 2000 / 16
        loops = [traffic.writes(service.port, token, recorder, stop, per_connection) for _ in range(16)]
        loops += [traffic.cache_sets(service.port, token, recorder, stop, 50) for _ in range(2)]
        loops += [traffic.cache_gets(service.port, token, recorder, stop, 100) for _ in range(2)]
        loops += [traffic.nearby(service.port, token, recorder, stop, 100) for _ in range(2)]
        loops += [traffic.readiness(service.port, recorder, stop, 5)]
        tasks = await run_load(loops, None, stop)
        await asyncio.sleep(2 if ctx.short else 4)
        before = await memory_level(service.port, token)
        recorder.mark("kill")
        cluster.kill_postmaster()
        await asyncio.sleep(4 if ctx.short else 8)
        recorder.mark("restart")
        await asyncio.to_thread(cluster.restart)
        while not cluster.accepting():
            await asyncio.sleep(0.05)
        recorder.mark("accepting")
        await asyncio.sleep(8 if ctx.short else 12)
        stop.set()
        await asyncio.gather(*tasks)
        kill, accepting = recorder.marks["kill"], recorder.marks["accepting"]

        writes = recorder.of("write")
        acked, lost = lost_writes(cluster, recorder)
        rate = len([o for o in writes if o.sent < kill and 200 <= o.status < 300]) / (kill - writes[0].sent)
        # The debug build CI runs the short form with carries about a third
        # (382–672/s measured in CI runs, 226/s with a build beside it): the
        # short floor only shows that the writes were a real load when
        # PostgreSQL died, not a speed; the targets are the rest.
        floor = 100 if ctx.short else 1000
        rows.add("position writes acknowledged per second before the kill", f"{rate:.0f}/s", f"about 2,000/s offered (≥ {floor})", rate >= floor)
        rows.add("acknowledged writes lost", f"{lost} of {acked}", "0", lost == 0 and acked > 0)
        # While it is down: what needs the database answers 503 + Retry-After within 1 s.
        down = [o for o in recorder.outcomes if o.kind in ("write", "cache_set") and kill + 0.1 <= o.sent < recorder.marks["restart"]]
        # A backend finishes the statement it is running when the postmaster
        # dies, so a write sent just after the kill may still commit: that
        # answer is a 2xx, and its row is checked with the others.
        committed = [o for o in down if 200 <= o.status < 300]
        bad = [o for o in down if (o.status != 503 or o.retry_after is None) and o not in committed]
        slowest = max((o.seconds for o in down), default=None)
        rows.add("database requests while down answered 503 + Retry-After", f"{len(down) - len(bad)} of {len(down)}"
                 + (f" ({len(committed)} committed before the backends ended)" if committed else "") + (f"; others: {breakdown(bad)}" if bad else ""),
                 "all", down and not bad)
        rows.add("slowest answer while down", fmt(slowest), "≤ 1 s", slowest is not None and slowest <= 1.0)
        broken = [o for o in recorder.outcomes if o.error or (o.status >= 500 and o.status != 503)]
        when = f" sent {min(o.sent for o in broken) - kill:+.1f}…{max(o.sent for o in broken) - kill:+.1f} s from the kill" if broken else ""
        rows.add("500s, 504s, resets and hangs", breakdown(broken) + when, "0", not broken)
        ready = [o for o in recorder.of("ready", kill + 1.5, recorder.marks["restart"])]
        named = [o for o in ready if o.status == 503 and b"database" in o.body]
        rows.add("/ready while down: 503 naming the database", f"{len(named)} of {len(ready)}", "all", ready and len(named) == len(ready))
        near = recorder.of("nearby", kill, accepting)
        stale = [o for o in recorder.of("nearby", kill + 3, accepting) if o.status == 200 and (o.json() or {}).get("stale") is True]
        answered = [o for o in near if o.status == 200]
        rows.add("nearby while down answered from the index", f"{len(answered)} of {len(near)}", "all", near and len(answered) == len(near))
        late = recorder.of("nearby", kill + 3, accepting)
        rows.add("… and says it may be stale", f"{len(stale)} of {len(late)}", "all", late and len(stale) == len(late))
        after = [o for o in writes if o.sent >= accepting]
        first_ok = min((o.done for o in after if 200 <= o.status < 300), default=None)
        recovery = None if first_ok is None else first_ok - accepting
        rows.add("first acknowledged write after PostgreSQL accepts again", fmt(recovery), "≤ 5 s", recovery is not None and recovery <= 5)
        failing_late = [o for o in after if o.sent >= accepting + 5 and not 200 <= o.status < 300]
        rows.add("writes failing 5 s after it accepts again", f"{len(failing_late)}", "0", not failing_late)
        after_level = await memory_level(service.port, token)
        rows.add("cache memory level: entries before the kill → after, coherent", f"{before.get('memory_entries')} → "
                 f"{after_level.get('memory_entries')}, {after_level.get('coherent')}", "refilled, coherent",
                 after_level.get("coherent") is True and (after_level.get("memory_entries") or 0) > 0)
    return rows.rows


async def slow_database(ctx):
    """4. A proxy adds 2 s to every packet between Wayline and PostgreSQL."""
    rows = Rows("4 slow database")
    cluster = ctx.cluster("s4-pg")
    cluster.start()
    proxy = await DelayProxy(cluster.socket_directory + "/.s.PGSQL.5432").start()
    url = f"postgresql://wayline@127.0.0.1:{proxy.port}/wayline?sslmode=disable"
    service = ctx.service({"DATABASE_URL": url}, "s4").start()
    try:
        assert await wait_ready(service.port), "the service did not become ready"
        token = service.token()
        # Drivers in the index and entries in the cache's memory level.
        setup = Recorder()
        connection = Connection(service.port, token)
        for _ in range(50):
            setup.outcomes.append(await connection.request("write", "PUT", f"/v1/locations/{uuid.uuid4()}/current", traffic.position()))
        for key in range(50):
            await connection.request("cache_set", "PUT", f"/v1/cache/chaos-{key}", {"value": key, "ttl_s": 600})
            await connection.request("cache_get", "GET", f"/v1/cache/chaos-{key}")

        async def phase(seconds, delay):
            proxy.delay = delay
            recorder, stop = Recorder(), asyncio.Event()
            loops = [traffic.writes(service.port, token, recorder, stop, 20) for _ in range(4)]
            loops += [traffic.nearby(service.port, token, recorder, stop, 100) for _ in range(2)]
            loops += [traffic.cache_gets(service.port, token, recorder, stop, 100, keys=50) for _ in range(2)]
            tasks = await run_load(loops, seconds, stop)
            await asyncio.gather(*tasks)
            return recorder

        baseline = await phase(3, 0)
        recorder = await phase(8 if ctx.short else 12, 2.0)
        removed = time.monotonic()
        after = await phase(8, 0)
        memory_p99 = lambda r: percentile([o.seconds for o in r.outcomes if o.kind in ("nearby", "cache_get") and o.status == 200], 0.99)
        writes = recorder.of("write")
        late = [o for o in writes if o.seconds > 5.3 or o.error]
        rows.add("slowest database request while slow", fmt(max((o.seconds for o in writes), default=None)), "≤ 5 s (the deadline)", writes and not late)
        answered = [o for o in writes if 200 <= o.status < 300 or (o.status in (503, 504) and o.json() and "error" in o.json())]
        rows.add("… answered in time (2xx), else 503/504 with the JSON error", breakdown(writes), "no other answer",
                 writes and len(answered) == len(writes))
        base, slow = memory_p99(baseline), memory_p99(recorder)
        rows.add("p99 of answers from memory (nearby, cache hits): before → while slow", f"{fmt(base)} → {fmt(slow)}",
                 "≤ 2× + 5 ms", base is not None and slow is not None and slow <= 2 * base + 0.005)
        failed_memory = [o for o in recorder.outcomes if o.kind in ("nearby", "cache_get") and o.status != 200]
        rows.add("answers from memory failing while slow", f"{len(failed_memory)}", "0", not failed_memory)
        normal = [o for o in after.of("write") if 200 <= o.status < 300]
        first_all_good = None
        for index, outcome in enumerate(after.of("write")):
            if all(200 <= o.status < 300 for o in after.of("write")[index:]):
                first_all_good = outcome.sent - removed
                break
        rows.add("normal again after the delay is removed", fmt(first_all_good), "≤ 5 s",
                 first_all_good is not None and first_all_good <= 5 and normal)
        burst = await asyncio.gather(*[Connection(service.port, token).request("write", "PUT", f"/v1/locations/{uuid.uuid4()}/current", traffic.position()) for _ in range(64)])
        good = [o for o in burst if 200 <= o.status < 300]
        rows.add("64 concurrent writes afterwards (the pool not left exhausted)", f"{len(good)} of 64", "64", len(good) == 64)
    finally:
        service.stop()
        await proxy.close()
        cluster.stop()
    return rows.rows


async def sigterm_under_load(ctx):
    """6. SIGTERM under 32 connections of mixed traffic."""
    rows = Rows("6 SIGTERM under load")
    # JSON logs: their times have milliseconds, and the listener's closing is read from them.
    async with served(ctx, "s6", {"WAYLINE_LOG_FORMAT": "json"}) as (cluster, service, token):
        recorder, stop = Recorder(), asyncio.Event()
        loops = [traffic.writes(service.port, token, recorder, stop, 60) for _ in range(16)]
        loops += [traffic.nearby(service.port, token, recorder, stop, 100) for _ in range(8)]
        loops += [traffic.cache_sets(service.port, token, recorder, stop, 50) for _ in range(4)]
        loops += [traffic.health(service.port, recorder, stop, 100) for _ in range(4)]
        loops += [traffic.readiness(service.port, recorder, stop, 20)]
        tasks = await run_load(loops, None, stop)
        await asyncio.sleep(3)
        recorder.mark("sigterm")
        service.signal(signal.SIGTERM)
        code = await asyncio.to_thread(service.wait, 15)
        recorder.mark("exited")
        await asyncio.sleep(0.3)
        stop.set()
        await asyncio.gather(*tasks)
        sigterm, exited = recorder.marks["sigterm"], recorder.marks["exited"]
        rows.add("exit after SIGTERM", fmt(exited - sigterm) + f" (code {code})", "≤ 10 s, code 0", code == 0 and exited - sigterm <= 10)
        five = [o for o in recorder.outcomes if o.status >= 500 and o.kind != "ready"]
        rows.add("responses with 5xx (but /ready)", breakdown(five), "0", not five)
        ready_503 = min((o.sent for o in recorder.of("ready", sigterm) if o.status == 503), default=None)
        refused = min((o.sent for o in recorder.outcomes if o.error == "refused" and o.sent >= sigterm), default=None)
        rows.add("/ready 503 after SIGTERM", fmt(None if ready_503 is None else ready_503 - sigterm), "first, ≤ 0.5 s",
                 ready_503 is not None and ready_503 - sigterm <= 0.5)
        rows.add("first connection refused after SIGTERM", fmt(None if refused is None else refused - sigterm), "after /ready turned 503",
                 ready_503 is not None and (refused is None or refused > ready_503))
        # Once the listener closes, connections still in its backlog are reset
        # by the kernel: refused in effect, the request never read. They may
        # have been made well before the close when the server accepts late
        # (the debug build CI runs, loaded on two cores, once lagged past
        # 50 ms), so what tells them apart is when the reset came: a reset
        # before the service logged that it closes its listener is a request
        # cut off. No request may hang either.
        closing = listener_closing(service.log_path)
        cut = [o for o in recorder.outcomes if o.error == "timeout" or (o.error == "reset" and o.done < closing - 0.01)]
        rows.add("requests cut off before the listener closed", breakdown(cut), "0", not cut)
        after = [o for o in recorder.outcomes if o.error and o not in cut]
        rows.add("refused or reset once it closed (not read)", breakdown(after), "(clients retry elsewhere)", True)
        acked, lost = lost_writes(cluster, recorder)
        rows.add("acknowledged writes lost", f"{lost} of {acked}", "0", lost == 0 and acked > 0)
    return rows.rows


async def unreachable_at_start(ctx):
    """3. The database unreachable when `serve` starts."""
    rows = Rows("3 database unreachable at start")
    cluster = ctx.cluster("s3-pg")
    cluster.start()
    port = free_port()
    url = f"postgresql://wayline@127.0.0.1:{port}/wayline?sslmode=disable"
    service = ctx.service({"DATABASE_URL": url}, "s3").start()
    proxy = None
    try:
        await asyncio.sleep(2)
        alive = service.alive()
        health = await Connection(service.port, timeout=2).request("health", "GET", "/health")
        ready = await Connection(service.port, timeout=2).request("ready", "GET", "/ready")
        rows.add("serve still running 2 s in, /health", f"{'running' if alive else 'exited'}, {health.status}", "running, 200", alive and health.status == 200)
        rows.add("/ready meanwhile", f"{ready.status} {ready.body.decode(errors='replace')[:80]}", "503 with the reason",
                 ready.status == 503 and b"database" in ready.body)
        await asyncio.sleep(3)
        proxy = await DelayProxy(cluster.socket_directory + "/.s.PGSQL.5432", port).start()
        reachable = time.monotonic()
        became = await wait_ready(service.port, 30)
        serving = time.monotonic() - reachable
        rows.add("serving after the database becomes reachable", fmt(serving) if became else "never", "≤ 5 s", became and serving <= 5)
    finally:
        service.stop()
        if proxy:
            await proxy.close()
        cluster.stop()
    # Given up after WAYLINE_DB_WAIT, with one line saying why.
    nowhere = f"postgresql://wayline@127.0.0.1:{free_port()}/wayline?sslmode=disable"
    waiting = ctx.service({"DATABASE_URL": nowhere, "WAYLINE_DB_WAIT": "4"}, "s3-wait").start()
    started = time.monotonic()
    code = await asyncio.to_thread(waiting.wait, 30)
    took = time.monotonic() - started
    last = [line for line in waiting.log_text().splitlines() if line.strip()][-1:] or [""]
    rows.add("exit after WAYLINE_DB_WAIT=4", f"{fmt(took)}, code {code}", "non-zero, 4–8 s", code not in (None, 0) and 4 <= took <= 8)
    rows.add("… its last line", last[0][-110:], "names WAYLINE_DB_WAIT", "WAYLINE_DB_WAIT" in last[0])
    started = time.monotonic()
    migrate = subprocess.run([ctx.binary, "migrate"], env={**os.environ, "DATABASE_URL": nowhere}, capture_output=True, timeout=60)
    took = time.monotonic() - started
    rows.add("a CLI command (migrate) against it", f"{fmt(took)}, code {migrate.returncode}", "fails fast (≤ 6 s)", migrate.returncode != 0 and took <= 6)
    return rows.rows


async def slow_clients(ctx, count=1000):
    """7. 1,000 connections sending one header byte every 10 s."""
    rows = Rows("7 slow clients")
    async with served(ctx, "s7") as (_, service, _):

        async def health_p99(seconds):
            recorder, stop = Recorder(), asyncio.Event()
            tasks = await run_load([traffic.health(service.port, recorder, stop, 200) for _ in range(4)], seconds, stop)
            await asyncio.gather(*tasks)
            return percentile([o.seconds for o in recorder.outcomes if o.status == 200], 0.99), recorder

        await asyncio.sleep(1)
        fds_before, rss_before = service.descriptors(), service.rss_kb()
        baseline, _ = await health_p99(3)
        # The trickling clients run in a process of their own, so that their
        # thousand tasks do not slow the event loop timing /health here.
        results = multiprocessing.Queue()
        trickler = multiprocessing.Process(target=trickle_process, args=(service.port, count, results))
        trickler.start()
        await asyncio.sleep(1)
        during, recorder = await health_p99(6)
        closed_after = await asyncio.to_thread(results.get, True, 60)
        trickler.join(10)
        # Freed memory goes back to the system within a few seconds (`MemoryTrim`).
        for _ in range(30):
            await asyncio.sleep(0.5)
            fds_after, rss_after = service.descriptors(), service.rss_kb()
            if rss_after <= rss_before * 1.1 and fds_after <= fds_before + 5:
                break
        longest = max(closed_after)
        rows.add(f"{count} trickling connections closed by the server after", fmt(longest), "≤ 10 s", min(closed_after) >= 0 and longest <= 10)
        rows.add("p99 of /health: before → with them", f"{fmt(baseline)} → {fmt(during)}", "≤ 2×", during <= 2 * baseline)
        failed = [o for o in recorder.outcomes if o.status != 200]
        rows.add("/health failing meanwhile", f"{len(failed)}", "0", not failed)
        rows.add("open descriptors: before → after", f"{fds_before} → {fds_after}", "back to baseline (±5)", fds_after <= fds_before + 5)
        rows.add("resident memory: before → after", f"{rss_before // 1024} → {rss_after // 1024} MB", "≤ +10 %", rss_after <= rss_before * 1.1)
    return rows.rows


def trickle_process(port, count, results):
    """`count` connections, each sending one byte of a request head every 10 s
    until the server closes it; puts the seconds each stayed open (-1 when
    it could not connect)."""
    async def trickle():
        try:
            reader, writer = await asyncio.open_connection("127.0.0.1", port)
        except OSError:
            return -1
        started = time.monotonic()
        try:
            for byte in b"GET /health HTTP/1.1\r\n":
                writer.write(bytes([byte]))
                await writer.drain()
                if await asyncio.wait_for(reader.read(1), 10) == b"":
                    break
        except (asyncio.TimeoutError, OSError):
            pass
        writer.close()
        return time.monotonic() - started

    async def all_of_them():
        return await asyncio.gather(*[trickle() for _ in range(count)])

    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    results.put(asyncio.run(all_of_them()))


async def embedded_loses_postgres(ctx):
    """2. The embedded default (no DATABASE_URL) loses its PostgreSQL; then Wayline itself is killed."""
    rows = Rows("2 embedded cluster lost")
    home = ctx.workdir / "s2-home"
    home.mkdir(parents=True, exist_ok=True)
    env = {"WAYLINE_DATA_DIR": str(home / ".wayline"), "DATABASE_URL": ""}
    service = ctx.service(env, "s2").start()
    cluster = Cluster(ctx.binary, home / ".wayline")
    try:
        assert await wait_ready(service.port, 180), "the embedded default did not become ready"
        cluster.url = subprocess.run([ctx.binary, "db", "url", "--data-dir", str(home / ".wayline")], capture_output=True, text=True).stdout.strip()
        token = service.token()
        recorder, stop = Recorder(), asyncio.Event()
        tasks = await run_load([traffic.writes(service.port, token, recorder, stop, 100) for _ in range(4)], None, stop)
        await asyncio.sleep(2)
        recorder.mark("kill")
        cluster.kill_postmaster()
        accepting = None
        give_up = time.monotonic() + 60
        while time.monotonic() < give_up:
            await asyncio.sleep(0.1)
            if accepting is None and await asyncio.to_thread(cluster.accepting):
                accepting = time.monotonic()
            if accepting and time.monotonic() > accepting + 6:
                break
        stop.set()
        await asyncio.gather(*tasks)
        kill = recorder.marks["kill"]
        rows.add("cluster running again after the kill", fmt(None if accepting is None else accepting - kill), "restarted by Wayline", accepting is not None)
        first_ok = min((o.done for o in recorder.of("write", kill + 0.2) if 200 <= o.status < 300 and accepting and o.sent >= accepting), default=None)
        recovery = None if first_ok is None or accepting is None else first_ok - accepting
        rows.add("first acknowledged write after it accepts again", fmt(recovery), "≤ 5 s", recovery is not None and recovery <= 5)
        acked, lost = lost_writes(cluster, recorder)
        rows.add("acknowledged writes lost", f"{lost} of {acked}", "0", lost == 0 and acked > 0)
        # Wayline killed outright: the next start must not be stopped by what it left.
        service.process.kill()
        service.wait(10)
        again = ctx.service(env, "s2-again").start()
        ready = await wait_ready(again.port, 120)
        rows.add("`serve` after Wayline was killed with SIGKILL", "ready" if ready else "not ready", "starts normally", ready)
        again.stop()
        running = cluster_running(home / ".wayline")
        rows.add("… and the cluster it took over is stopped with it", "stopped" if not running else "still running", "stopped", not running)
    finally:
        service.stop()
        subprocess.run([ctx.binary, "db", "stop", "--data-dir", str(home / ".wayline")], capture_output=True, timeout=120)
    return rows.rows


def cluster_running(directory):
    pid_file = Path(directory) / "pgdata" / "postmaster.pid"
    if not pid_file.exists():
        return False
    try:
        os.kill(int(pid_file.read_text().split()[0]), 0)
        return True
    except (ProcessLookupError, ValueError):
        return False


def writer_process(port, token, connections, seconds, results):
    """`connections` write loops as fast as they go for `seconds`, in a
    process of its own; puts (status, retry_after, error, user, lat, lng) per write."""
    async def run():
        recorder, stop = Recorder(), asyncio.Event()
        tasks = await run_load([traffic.writes(port, token, recorder, stop) for _ in range(connections)], seconds, stop)
        await asyncio.gather(*tasks)
        return [(o.status, o.retry_after, o.error, o.info["user"], o.info["lat"], o.info["lng"]) for o in recorder.outcomes]

    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    results.put(asyncio.run(run()))


async def overload(ctx, connections=2000, seconds=10, processes=4):
    """5. 2,000 connections writing as fast as they can."""
    rows = Rows("5 overload")
    async with served(ctx, "s5") as (cluster, service, token):
        # One Python process cannot keep 2,000 connections busy: four share them.
        results = multiprocessing.Queue()
        workers = [multiprocessing.Process(target=writer_process, args=(service.port, token, connections // processes, seconds, results))
                   for _ in range(processes)]
        for worker in workers:
            worker.start()
        peak = [service.rss_kb()]
        give_up = time.monotonic() + seconds + 30
        while any(worker.is_alive() for worker in workers) and time.monotonic() < give_up and results.qsize() < processes:
            if service.alive():
                peak.append(service.rss_kb())
            await asyncio.sleep(0.2)
        recorder = Recorder()
        for _ in workers:
            for status, retry_after, error, user, lat, lng in await asyncio.to_thread(results.get, True, 60):
                recorder.outcomes.append(traffic.Outcome("write", 0, 0, status, retry_after, error, info={"user": user, "lat": lat, "lng": lng}))
        for worker in workers:
            worker.join(10)
        writes = recorder.of("write")
        ok = [o for o in writes if 200 <= o.status < 300]
        shed = [o for o in writes if o.status in (503, 504)]
        rows.add("writes acknowledged / shed (503, 504) in 10 s", f"{len(ok)} / {len(shed)} of {len(writes)}", "the rest shed", ok)
        unsignalled = [o for o in shed if o.retry_after is None]
        rows.add("shed without Retry-After", f"{len(unsignalled)}", "0", not unsignalled)
        other = [o for o in writes if not (200 <= o.status < 300 or o.status in (503, 504))]
        rows.add("other outcomes (errors, 5xx, resets)", breakdown(other), "0", not other)
        rows.add("server alive afterwards", "yes" if service.alive() else "no", "yes", service.alive())
        mb = max(peak) // 1024
        rows.add("peak resident memory", f"{mb} MB", "≤ 1,024 MB (documented bound)", mb <= 1024)
        acked, lost = lost_writes(cluster, recorder)
        rows.add("acknowledged writes lost", f"{lost} of {acked}", "0", lost == 0)
    return rows.rows


async def soak(ctx, seconds):
    """8. Mixed traffic for `seconds` at about half of what this machine carries."""
    rows = Rows("8 soak")
    async with served(ctx, "s8") as (cluster, service, token):
        drivers = [str(uuid.uuid4()) for _ in range(2000)]

        def loops(recorder, stop, rate):
            return ([traffic.writes(service.port, token, recorder, stop, rate, drivers) for _ in range(4)]
                    + [traffic.nearby(service.port, token, recorder, stop, rate) for _ in range(4)]
                    + [traffic.cache_sets(service.port, token, recorder, stop, rate / 4 if rate else None) for _ in range(2)]
                    + [traffic.cache_gets(service.port, token, recorder, stop, rate) for _ in range(2)])

        # Capacity: the same mix as fast as it goes, for five seconds.
        probe, stop = Recorder(), asyncio.Event()
        await asyncio.gather(*(await run_load(loops(probe, stop, None), 5, stop)))
        capacity = len(probe.outcomes) / 5
        rate = capacity / 2 / 12  # per loop: half the capacity over the 12 loops
        recorder, stop = Recorder(), asyncio.Event()
        samples = []

        async def watch():
            while not stop.is_set():
                samples.append((time.monotonic(), service.rss_kb(), service.descriptors()))
                await asyncio.sleep(5)

        started = time.monotonic()
        await asyncio.gather(*(await run_load(loops(recorder, stop, rate) + [watch()], seconds, stop)))
        errors = [o for o in recorder.outcomes if o.error or o.status >= 500 or (o.kind != "cache_get" and not 200 <= o.status < 300)]
        rows.add(f"requests over {seconds} s at half of {capacity:.0f}/s", f"{len(recorder.outcomes)}, {len(errors)} failed", "0 failed", not errors)
        print("   resident memory every 5 s (MB):", " ".join(str(s[1] // 1024) for s in samples), file=sys.stderr)
        after_minute = [s for s in samples if s[0] >= started + min(60, seconds / 4)]
        first, last = after_minute[0], after_minute[-1]
        growth = (last[1] - first[1]) / first[1]
        rows.add("resident memory growth after the first minute", f"{first[1] // 1024} → {last[1] // 1024} MB ({growth:+.1%})", "≤ 5 %", growth <= 0.05)
        rows.add("open descriptors after the first minute", f"{first[2]} → {last[2]}", "no growth (±5)", last[2] <= first[2] + 5)
        # The index against the table: every driver found by nearby at its stored position.
        stored = {u: (float(a), float(b)) for u, a, b in cluster.query(
            "SELECT user_id, ST_Y(coordinates::geometry), ST_X(coordinates::geometry) FROM locations WHERE type = 'current'")}
        connection, missing = Connection(service.port, token), 0
        for user, (lat, lng) in stored.items():
            answer = (await connection.request("check", "GET", f"/v1/nearby?lat={lat}&lng={lng}&radius_m=1&limit=100")).json() or {}
            if not any(r["user_id"] == user and abs(r["lat"] - lat) < 1e-9 and abs(r["lng"] - lng) < 1e-9 for r in answer.get("results", [])):
                missing += 1
        rows.add("drivers in the table found at their stored position in the index", f"{len(stored) - missing} of {len(stored)}",
                 "all", stored and not missing)
    return rows.rows
