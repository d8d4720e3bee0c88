"""Traffic for the fault scenarios: a small HTTP/1.1 keep-alive client on
asyncio streams (standard library only), loops that send one kind of request
each, and the record of every request sent (when, what, how it ended)."""
import asyncio
import json
import random
import time
import uuid
from dataclasses import dataclass, field

# Positions are spread over a few kilometres around this point.
CENTRE = (42.507, 1.521)


@dataclass
class Outcome:
    kind: str
    sent: float
    done: float
    status: int = 0
    retry_after: str = None
    error: str = None
    body: bytes = b""
    info: dict = field(default_factory=dict)

    @property
    def seconds(self):
        return self.done - self.sent

    def json(self):
        try:
            return json.loads(self.body)
        except ValueError:
            return None


class Connection:
    """One keep-alive connection, reopened when the server closes it."""

    def __init__(self, port, token=None, timeout=15.0):
        self.port = port
        self.token = token
        self.timeout = timeout
        self.reader = self.writer = None

    async def close(self):
        if self.writer:
            self.writer.close()
            self.reader = self.writer = None

    async def request(self, kind, method, path, body=None, info=None):
        sent = time.monotonic()
        outcome = Outcome(kind, sent, sent, info=info or {})
        try:
            await asyncio.wait_for(self._exchange(outcome, method, path, body), self.timeout)
        except asyncio.TimeoutError:
            outcome.error = "timeout"
            await self.close()
        except ConnectionRefusedError:
            outcome.error = "refused"
            await self.close()
        except (ConnectionError, asyncio.IncompleteReadError, OSError) as error:
            outcome.error = "reset" if not isinstance(error, FileNotFoundError) else "refused"
            await self.close()
        outcome.done = time.monotonic()
        return outcome

    async def _exchange(self, outcome, method, path, body):
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection("127.0.0.1", self.port)
        payload = json.dumps(body).encode() if body is not None else b""
        head = [f"{method} {path} HTTP/1.1", "Host: wayline"]
        if self.token:
            head.append(f"Authorization: Bearer {self.token}")
        if body is not None:
            head += ["Content-Type: application/json", f"Content-Length: {len(payload)}"]
        self.writer.write(("\r\n".join(head) + "\r\n\r\n").encode() + payload)
        await self.writer.drain()
        status_line = await self.reader.readuntil(b"\r\n")
        headers = {}
        while (line := await self.reader.readuntil(b"\r\n")) != b"\r\n":
            name, _, value = line.decode("latin-1").partition(":")
            headers[name.strip().lower()] = value.strip()
        outcome.status = int(status_line.split()[1])
        outcome.retry_after = headers.get("retry-after")
        outcome.body = await self.reader.readexactly(int(headers.get("content-length", "0")))
        if headers.get("connection", "").lower() == "close":
            await self.close()


class Recorder:
    """Every outcome of a run, and what the scenario marks on its timeline."""

    def __init__(self):
        self.outcomes = []
        self.marks = {}

    def mark(self, name):
        self.marks[name] = time.monotonic()

    def of(self, kind, start=None, end=None):
        return [o for o in self.outcomes if o.kind == kind and (start is None or o.sent >= start) and (end is None or o.sent < end)]


def position():
    return {"lat": CENTRE[0] + random.uniform(-0.02, 0.02), "lng": CENTRE[1] + random.uniform(-0.02, 0.02)}


async def paced(stop, rate, send):
    """Calls `send` about `rate` times a second (as fast as it can when rate is None) until `stop` is set."""
    interval = 1 / rate if rate else 0
    next_at = time.monotonic()
    while not stop.is_set():
        await send()
        if interval:
            next_at += interval
            pause = next_at - time.monotonic()
            if pause > 0:
                await asyncio.sleep(pause)
            else:
                next_at = time.monotonic()
        else:
            await asyncio.sleep(0)


async def requests(port, token, recorder, stop, rate, kind, make):
    """One connection sending what `make()` returns, (method, path, body,
    info), about `rate` times a second until `stop` is set; a refused or
    reset connection is tried again shortly, not in a tight loop."""
    connection = Connection(port, token)

    async def send():
        method, path, body, info = make()
        outcome = await connection.request(kind, method, path, body, info)
        recorder.outcomes.append(outcome)
        if outcome.error:
            await asyncio.sleep(0.05)

    await paced(stop, rate, send)
    await connection.close()


def writes(port, token, recorder, stop, rate=None, drivers=None):
    """Position writes; each to a driver of its own (a fresh id) unless
    `drivers` lists the ids to move, so an acknowledged write can be found
    in the table afterwards exactly as acknowledged."""
    def make():
        user = random.choice(drivers) if drivers else str(uuid.uuid4())
        fix = position()
        return "PUT", f"/v1/locations/{user}/current", fix, {"user": user, **fix}
    return requests(port, token, recorder, stop, rate, "write", make)


def nearby(port, token, recorder, stop, rate=None):
    path = f"/v1/nearby?lat={CENTRE[0]}&lng={CENTRE[1]}&radius_m=3000&limit=10"
    return requests(port, token, recorder, stop, rate, "nearby", lambda: ("GET", path, None, None))


def cache_sets(port, token, recorder, stop, rate=None, keys=200):
    def make():
        return "PUT", f"/v1/cache/chaos-{random.randrange(keys)}", {"value": {"n": random.random()}, "ttl_s": 600, "tags": ["chaos"]}, None
    return requests(port, token, recorder, stop, rate, "cache_set", make)


def cache_gets(port, token, recorder, stop, rate=None, keys=200):
    return requests(port, token, recorder, stop, rate, "cache_get", lambda: ("GET", f"/v1/cache/chaos-{random.randrange(keys)}", None, None))


def health(port, recorder, stop, rate=None):
    return requests(port, None, recorder, stop, rate, "health", lambda: ("GET", "/health", None, None))


async def readiness(port, recorder, stop, rate=20):
    """`/ready` on a fresh connection each time, so a closed listener shows as refused."""
    async def send():
        connection = Connection(port, timeout=5)
        recorder.outcomes.append(await connection.request("ready", "GET", "/ready"))
        await connection.close()

    await paced(stop, rate, send)


def percentile(values, fraction):
    if not values:
        return None
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]
