"""The pieces a fault scenario is built from, each started by the harness and
reachable on loopback only: a PostgreSQL cluster of its own, `wayline serve`
processes, and a TCP proxy that can delay every packet."""
import asyncio
import os
import secrets
import signal
import socket
import subprocess
import time
from pathlib import Path


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Cluster:
    """A PostgreSQL + PostGIS cluster in a directory of the harness's, started
    and stopped through `wayline db`; durable (fsync on), as production is."""

    def __init__(self, binary, directory):
        self.binary = binary
        self.directory = Path(directory)
        self.url = None

    def start(self):
        self.url = subprocess.run(
            [self.binary, "db", "start", "--data-dir", str(self.directory)],
            check=True, capture_output=True, text=True, timeout=120).stdout.strip().splitlines()[-1]
        return self.url

    def stop(self):
        subprocess.run([self.binary, "db", "stop", "--data-dir", str(self.directory)], capture_output=True, timeout=120)

    @property
    def socket_directory(self):
        return self.url.split("host=")[1]

    def postmaster_pid(self):
        return int((self.directory / "pgdata" / "postmaster.pid").read_text().split()[0])

    def kill_postmaster(self):
        os.kill(self.postmaster_pid(), signal.SIGKILL)

    def restart(self, deadline_s=60):
        """Starts it again after a kill; the old backends may hold its shared
        memory for a moment, so the start is retried until it takes."""
        give_up = time.monotonic() + deadline_s
        while True:
            try:
                return self.start()
            except subprocess.CalledProcessError:
                if time.monotonic() > give_up:
                    raise
                time.sleep(0.2)

    def accepting(self):
        return subprocess.run(["psql", self.url, "-Atc", "SELECT 1"], capture_output=True, timeout=10).returncode == 0

    def query(self, sql):
        """Rows of `sql` as lists of strings (psql's unaligned output)."""
        out = subprocess.run(["psql", self.url, "-AtF", "\t", "-c", sql], check=True, capture_output=True, text=True, timeout=120).stdout
        return [line.split("\t") for line in out.splitlines() if line]


class Service:
    """One `wayline serve` on a loopback port, its log in a file."""

    def __init__(self, binary, workdir, env, name="wayline"):
        self.binary = binary
        self.port = free_port()
        self.secret = secrets.token_urlsafe(48)
        self.log_path = Path(workdir) / f"{name}.log"
        self.env = {**os.environ, "WAYLINE_PORT": str(self.port), "WAYLINE_JWT_SECRET": self.secret,
                    "WAYLINE_LOG_LEVEL": "info", **env}
        self.process = None
        self.exit_code = None

    def start(self):
        self.log = open(self.log_path, "ab")
        self.process = subprocess.Popen([self.binary, "serve"], env=self.env, stdout=self.log, stderr=subprocess.STDOUT,
                                        cwd=self.env.get("WAYLINE_CWD"))
        return self

    def token(self):
        return subprocess.run([self.binary, "token", "--role", "service_role", "--ttl", "2h"], env=self.env, check=True,
                              capture_output=True, text=True, timeout=30, cwd=self.env.get("WAYLINE_CWD")).stdout.strip()

    @property
    def pid(self):
        return self.process.pid

    def alive(self):
        return self.process is not None and self.process.poll() is None

    def signal(self, number):
        self.process.send_signal(number)

    def wait(self, timeout):
        try:
            self.exit_code = self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            return None
        return self.exit_code

    def stop(self):
        if self.alive():
            self.process.send_signal(signal.SIGTERM)
            if self.wait(15) is None:
                self.process.kill()
                self.wait(5)

    def rss_kb(self):
        for line in Path(f"/proc/{self.pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
        return 0

    def descriptors(self):
        return len(os.listdir(f"/proc/{self.pid}/fd"))

    def log_text(self):
        return self.log_path.read_text(errors="replace")


class DelayProxy:
    """A TCP proxy on loopback to the cluster's unix socket that holds every
    chunk, in both directions, for `delay` seconds before passing it on
    (order kept, chunks pipelined, so it adds latency, not a bandwidth cap)."""

    def __init__(self, socket_path, port=None):
        self.socket_path = socket_path
        self.port = port or free_port()
        self.delay = 0.0
        self.server = None
        self.connections = set()

    async def start(self):
        self.server = await asyncio.start_server(self._serve, "127.0.0.1", self.port)
        return self

    async def close(self):
        self.server.close()
        for writer in list(self.connections):
            writer.close()
        await self.server.wait_closed()

    async def _serve(self, client_reader, client_writer):
        try:
            server_reader, server_writer = await asyncio.open_unix_connection(self.socket_path)
        except OSError:
            client_writer.close()
            return
        self.connections.update([client_writer, server_writer])
        try:
            await asyncio.gather(self._pipe(client_reader, server_writer), self._pipe(server_reader, client_writer),
                                 return_exceptions=True)
        except asyncio.CancelledError:
            pass  # the proxy closing
        for writer in (client_writer, server_writer):
            self.connections.discard(writer)
            writer.close()

    async def _pipe(self, reader, writer):
        queue = asyncio.Queue()

        async def forward():
            while True:
                due, data = await queue.get()
                if data is None:
                    break
                pause = due - time.monotonic()
                if pause > 0:
                    await asyncio.sleep(pause)
                writer.write(data)
                await writer.drain()
            writer.close()

        sender = asyncio.create_task(forward())
        try:
            while data := await reader.read(65536):
                queue.put_nowait((time.monotonic() + self.delay, data))
        finally:
            queue.put_nowait((0, None))
            await sender
