"""gunicorn, started as the README's production command starts it, names no software in its Server header."""

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from tests_support.waiting import free_port

ROOT = Path(__file__).resolve().parents[2]



@pytest.fixture
def gunicorn_server(tmp_path):
    port = free_port()
    env = {**os.environ, "DEBUG": "true", "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}", "REDIS_URL": ""}
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "brokerage.wsgi", "--workers", "1", "--bind", f"127.0.0.1:{port}"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                assert process.poll() is None, process.stderr.read().decode()
                assert time.monotonic() < deadline, "gunicorn did not start"
                time.sleep(0.1)
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(timeout=30)


def test_gunicorn_server_header_names_no_software(gunicorn_server):
    with urllib.request.urlopen(gunicorn_server + "/healthz") as response:
        server = response.headers.get("Server", "")

    assert server == "cpd-brokerage"
    assert "gunicorn" not in server.lower() and "python" not in server.lower()
