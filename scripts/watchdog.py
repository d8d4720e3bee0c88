#!/usr/bin/env python3
"""Runs a test command under a time bound, and explains a hang instead of waiting for it.

    watchdog.py --limit SECONDS --events PATH [--postgres-log PATH] [--database-url URL] -- COMMAND...

COMMAND (`swift test … --event-stream-output-path PATH`) runs in a process
group of its own, its output passed through. Swift Testing writes one JSON
record a line to PATH as tests start and end; this script follows the file.
When COMMAND has not ended within SECONDS, it prints

- the tests (and test cases) that started and never ended, with their ages;
- a backtrace of every thread of each test process (gdb);
- what every database session is doing and waiting for (pg_stat_activity:
  a statement waiting on a lock, say, which the log does not show);
- the tail of the PostgreSQL log;

then ends the process group and exits 124, as timeout(1) does. Otherwise it
exits with COMMAND's status.
"""

import argparse
import json
import os
import signal
import subprocess
import sys
import threading
import time


class EventFollower(threading.Thread):
    """Reads the event stream as it grows: what started, what ended."""

    def __init__(self, path):
        super().__init__(daemon=True)
        self.path = path
        self.names = {}
        self.running = {}  # key -> (display name, monotonic start)
        self.lock = threading.Lock()
        self.stopped = threading.Event()

    def run(self):
        while not os.path.exists(self.path) and not self.stopped.is_set():
            time.sleep(0.2)
        if self.stopped.is_set():
            return
        with open(self.path, encoding="utf-8", errors="replace") as stream:
            pending = ""
            while True:
                chunk = stream.readline()
                if not chunk:
                    if self.stopped.is_set():
                        return
                    time.sleep(0.2)
                    continue
                pending += chunk
                if not pending.endswith("\n"):
                    continue
                line, pending = pending, ""
                try:
                    self.take(json.loads(line))
                except ValueError:
                    continue

    def take(self, record):
        payload = record.get("payload", {})
        if record.get("kind") == "test":
            self.names[payload.get("id")] = payload.get("displayName") or payload.get("name") or payload.get("id")
            return
        kind = payload.get("kind")
        test = payload.get("testID")
        if test is None:
            return
        case = payload.get("_testCase") or payload.get("testCase")
        key = (test, json.dumps(case, sort_keys=True) if case else None)
        with self.lock:
            if kind in ("testStarted", "testCaseStarted"):
                name = self.names.get(test, test)
                if case:
                    arguments = case.get("arguments") if isinstance(case, dict) else None
                    name += " " + json.dumps(arguments if arguments is not None else case)[:200]
                self.running[key] = (name, time.monotonic())
            elif kind in ("testEnded", "testCaseEnded", "testSkipped"):
                self.running.pop(key, None)

    def unfinished(self):
        with self.lock:
            return sorted(self.running.values(), key=lambda entry: entry[1])


def descendants(root):
    """Every process under `root` (not `root` itself), from /proc."""
    children = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
            children.setdefault(int(fields[1]), []).append(int(entry))
        except (OSError, IndexError, ValueError):
            continue
    found, queue = [], [root]
    while queue:
        pid = queue.pop()
        for child in children.get(pid, []):
            found.append(child)
            queue.append(child)
    return found


def command_line(pid):
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as cmdline:
            return cmdline.read().replace(b"\0", b" ").decode(errors="replace").strip()
    except OSError:
        return "?"


ACTIVITY = """
SELECT pid, datname, usename, state, wait_event_type, wait_event,
       round(extract(epoch FROM now() - xact_start)::numeric, 1) AS xact_s,
       round(extract(epoch FROM now() - query_start)::numeric, 1) AS query_s,
       pg_blocking_pids(pid) AS blocked_by, left(regexp_replace(query, '\\s+', ' ', 'g'), 160) AS query
FROM pg_stat_activity WHERE backend_type = 'client backend' AND pid <> pg_backend_pid()
ORDER BY xact_start NULLS LAST
"""


def report(follower, root, postgres_log, database_url, limit):
    say = lambda text="": print(text, flush=True)
    say()
    say(f"watchdog: the tests did not end within {limit} s; what was running:")
    now = time.monotonic()
    unfinished = follower.unfinished()
    if not unfinished:
        say("  (no test had started and not ended: the hang is outside any test, in start-up or shutdown)")
    for name, started in unfinished:
        say(f"  started {now - started:7.1f} s ago, not ended: {name}")
    for pid in [root] + descendants(root):
        line = command_line(pid)
        if ".xctest" not in line and "swiftpm-testing-helper" not in line:
            continue
        say()
        say(f"watchdog: threads of {pid} ({line[:160]}):")
        try:
            traces = subprocess.run(
                ["gdb", "-p", str(pid), "-batch", "-nx", "-ex", "set pagination off", "-ex", "thread apply all bt 40"],
                capture_output=True, text=True, timeout=180,
            ).stdout
            say(traces)
        except (OSError, subprocess.TimeoutExpired) as error:
            say(f"  no backtrace: {error}")
    if database_url:
        say()
        say("watchdog: the database sessions:")
        try:
            sessions = subprocess.run(["psql", database_url, "-X", "-c", ACTIVITY], capture_output=True, text=True, timeout=30)
            say(sessions.stdout + sessions.stderr)
        except (OSError, subprocess.TimeoutExpired) as error:
            say(f"  not read: {error}")
    if postgres_log and os.path.exists(postgres_log):
        say()
        say(f"watchdog: the last lines of {postgres_log}:")
        with open(postgres_log, errors="replace") as log:
            for line in log.readlines()[-60:]:
                say("  " + line.rstrip())


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--limit", type=float, required=True)
    parser.add_argument("--events", required=True)
    parser.add_argument("--postgres-log")
    parser.add_argument("--database-url")
    parser.add_argument("command", nargs=argparse.REMAINDER)
    arguments = parser.parse_args()
    command = arguments.command[1:] if arguments.command[:1] == ["--"] else arguments.command

    follower = EventFollower(arguments.events)
    follower.start()
    process = subprocess.Popen(command, start_new_session=True)
    try:
        status = process.wait(timeout=arguments.limit)
    except subprocess.TimeoutExpired:
        report(follower, process.pid, arguments.postgres_log, arguments.database_url, arguments.limit)
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
        print(f"watchdog: FAILED: the test run passed its bound of {arguments.limit:.0f} s and was stopped", flush=True)
        sys.exit(124)
    except KeyboardInterrupt:
        os.killpg(process.pid, signal.SIGTERM)
        raise
    finally:
        follower.stopped.set()
    sys.exit(status)


if __name__ == "__main__":
    main()
