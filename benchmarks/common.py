"""Shared benchmark harness: a gunicorn server on a free port, load from wrk.

Usage from another benchmark script::

    from benchmarks.common import BenchServer, wrk

    with BenchServer(env={"DATABASE_URL": "postgres://..."}) as server:
        trivial = wrk(server.url("/bench/trivial"), seconds=5)
        page = wrk(server.url("/offers/"), seconds=5)
        print(page.rps / trivial.rps)

The server runs ``benchmarks.urls`` (the portal's URLs plus trivial views at
``/bench/trivial`` and ``/bench/trivial-post``) with 2 gunicorn workers, so
ratios against the trivial view compare like with like on one machine.
Everything is bounded in time: wrk runs for a fixed number of seconds and the
server is stopped (by its own process id) when the ``with`` block ends.
"""

from __future__ import annotations

import dataclasses
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = os.environ.get("BENCH_PYTHON", sys.executable)
WRK = os.environ.get("WRK", shutil.which("wrk") or "/usr/bin/wrk")


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def bench_env(extra: dict | None = None) -> dict:
    """Environment for a production-like server: DEBUG off, quiet logs, benchmark URLs."""
    env = dict(os.environ)
    env.update(
        {
            "DEBUG": "false",
            "BROKERAGE_TESTING": "false",
            "SECRET_KEY": "benchmark-only-secret-key-not-for-production-0123456789",
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "SECURE_SSL_REDIRECT": "false",
            "SESSION_COOKIE_SECURE": "false",
            "CSRF_COOKIE_SECURE": "false",
            "USE_MANIFEST_STATIC": "false",
            "LOG_LEVEL": "WARNING",
            "ROOT_URLCONF": "benchmarks.urls",
            "DATABASE_CONN_MAX_AGE": "600",
            "PYTHONPATH": str(ROOT),
        }
    )
    env.update(extra or {})
    return env


class BenchServer:
    """gunicorn with N workers on 127.0.0.1:<free port>; a context manager."""

    def __init__(self, env: dict | None = None, workers: int = 2, timeout: float = 30.0):
        self.env = bench_env(env)
        self.workers = workers
        self.timeout = timeout
        self.port = free_port()
        self.proc: subprocess.Popen | None = None

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def start(self):
        gunicorn = Path(PYTHON).with_name("gunicorn")
        cmd = [
            str(gunicorn) if gunicorn.exists() else PYTHON,
            *([] if gunicorn.exists() else ["-m", "gunicorn"]),
            "brokerage.wsgi:application",
            "--bind", f"127.0.0.1:{self.port}",
            "--workers", str(self.workers),
            "--log-level", "warning",
            "--timeout", "60",
        ]
        self.proc = subprocess.Popen(cmd, cwd=ROOT, env=self.env, start_new_session=True)
        deadline = time.monotonic() + self.timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"gunicorn exited early with {self.proc.returncode}")
            try:
                with urllib.request.urlopen(self.url("/bench/trivial"), timeout=2) as response:
                    if response.status == 200:
                        return self
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"gunicorn did not answer on port {self.port} within {self.timeout}s")

    def stop(self):
        if self.proc is None or self.proc.poll() is not None:
            return
        # gunicorn's master stops its workers on SIGTERM; we only signal our own process group.
        os.killpg(self.proc.pid, signal.SIGTERM)
        try:
            self.proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(timeout=5)

    def worker_rss_mb(self) -> list[float]:
        """Resident memory of each gunicorn worker (the master's children), from /proc."""
        children = Path(f"/proc/{self.proc.pid}/task/{self.proc.pid}/children").read_text().split()
        sizes = []
        for pid in children:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    sizes.append(int(line.split()[1]) / 1024)
        return sizes

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()


@dataclasses.dataclass
class WrkResult:
    url: str
    rps: float
    latency_avg_ms: float
    requests: int
    errors: int
    non_2xx: int
    raw: str

    def ratio(self, baseline: "WrkResult") -> float:
        return self.rps / baseline.rps if baseline.rps else 0.0


_UNITS_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}


def _parse_latency(text: str) -> float:
    match = re.search(r"Latency\s+([\d.]+)(us|ms|s|m)\b", text)
    return float(match.group(1)) * _UNITS_MS[match.group(2)] if match else float("nan")


def parse_wrk(url: str, text: str) -> WrkResult:
    rps = re.search(r"Requests/sec:\s+([\d.]+)", text)
    total = re.search(r"(\d+) requests in", text)
    errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", text)
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
    return WrkResult(
        url=url,
        rps=float(rps.group(1)) if rps else 0.0,
        latency_avg_ms=_parse_latency(text),
        requests=int(total.group(1)) if total else 0,
        errors=sum(int(g) for g in errors.groups()) if errors else 0,
        non_2xx=int(non_2xx.group(1)) if non_2xx else 0,
        raw=text,
    )


def wrk(url: str, seconds: int = 5, connections: int = 4, threads: int = 2, script: str | None = None,
        warmup: int = 1, timeout: int = 10, script_args: tuple = ()) -> WrkResult:
    """Run wrk against url for a bounded time and return the parsed result.

    A short warm-up run first, so both workers have their connections and
    caches ready before the measured run. ``script`` is an optional wrk Lua
    script (for POST requests, headers, varied paths), ``script_args`` what
    its ``init(args)`` receives.
    """
    if not Path(WRK).exists():
        raise RuntimeError("wrk is not installed: apt-get install -y wrk")
    base = [WRK, f"-t{threads}", f"-c{connections}", "--timeout", f"{timeout}s"]
    if script:
        base += ["-s", script]
    if warmup:
        subprocess.run([*base, f"-d{warmup}s", url], capture_output=True, text=True, timeout=warmup + timeout + 30)
    extra = ["--", *map(str, script_args)] if script_args else []
    done = subprocess.run(
        [*base, f"-d{seconds}s", url, *extra], capture_output=True, text=True, timeout=seconds + timeout + 60
    )
    if done.returncode != 0:
        raise RuntimeError(f"wrk failed: {done.stderr or done.stdout}")
    return parse_wrk(url, done.stdout)


def wrk_post(url: str, body: str = "", seconds: int = 5, **kwargs) -> WrkResult:
    """wrk with a form-encoded POST body (the target view must be csrf_exempt)."""
    script = ROOT / "benchmarks" / f".post-{os.getpid()}.lua"
    script.write_text(
        'wrk.method = "POST"\n'
        f"wrk.body = {json.dumps(body)}\n"
        + 'wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"\n'
    )
    try:
        return wrk(url, seconds=seconds, script=str(script), **kwargs)
    finally:
        script.unlink(missing_ok=True)


def fetch(url: str, timeout: float = 30.0) -> tuple[int, str]:
    """One GET, for checking a page answers correctly before loading it."""
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.status, response.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode("utf-8", "replace")


def create_database(admin_url: str, name: str, drop: bool = False):
    """Create a PostgreSQL database (for a benchmark's own data) if it is missing."""
    import psycopg2

    connection = psycopg2.connect(admin_url)
    connection.autocommit = True
    with connection.cursor() as cursor:
        if drop:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if cursor.fetchone() is None:
            cursor.execute(f'CREATE DATABASE "{name}"')
    connection.close()


def run_manage(args: list[str], env: dict | None = None, check: bool = True) -> subprocess.CompletedProcess:
    return subprocess.run(
        [PYTHON, "manage.py", *args], cwd=ROOT, env=bench_env(env), check=check, capture_output=True, text=True
    )


def table(rows: list[list], headers: list[str]) -> str:
    """A Markdown table, for pasting the printed figures into benchmarks/README.md."""
    widths = [max(len(str(x)) for x in col) for col in zip(headers, *rows)]
    line = lambda cells: "| " + " | ".join(str(c).ljust(w) for c, w in zip(cells, widths)) + " |"  # noqa: E731
    return "\n".join([line(headers), "| " + " | ".join("-" * w for w in widths) + " |", *map(line, rows)])
