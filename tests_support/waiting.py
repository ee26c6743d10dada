"""Waiting for another process or thread without guessing: poll with a deadline, never a fixed sleep."""

import socket
import time


def wait_for(condition, timeout, what, *, every=0.05, diagnostics=lambda: ""):
    """Poll until condition() is true; fail after `timeout` seconds naming `what` (and the diagnostics)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(every)
    raise AssertionError(f"Timed out after {timeout}s waiting for {what}\n{diagnostics()}".rstrip())


def free_port():
    """A TCP port on 127.0.0.1 that nothing listens on now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]
