"""The Redis cache backend with no Redis answering: misses and dropped writes, a warning, no exception."""

import itertools
import logging
import socket
import threading

import pytest

from brokerage.redis_cache import RedisCache
from tests_support.waiting import wait_for

# Port 1 on the loopback: nothing listens there, a connection is refused at once.
CLOSED_PORT = 1
# Outages are recorded per location for the whole process: numbers no other test's cache uses
# (test_health's unreachable cache is redis://127.0.0.1:1/1).
_locations = itertools.count(100)


def unreachable_cache(port=CLOSED_PORT, **params):
    # Each test its own location (database number), so its own record of the outage.
    location = f"redis://127.0.0.1:{port}/{next(_locations)}"
    return RedisCache(location, {"OPTIONS": {"socket_connect_timeout": 0.25, "socket_timeout": 0.25}, **params})


def cache_warnings(caplog):
    return [
        r.getMessage() for r in caplog.records if r.name == "brokerage.redis_cache" and r.levelno == logging.WARNING
    ]



class ClosingServer:
    """A TCP server that accepts each connection and closes it at once, counting them."""

    def __init__(self):
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        self.accepted = 0
        self.thread = threading.Thread(target=self.serve, daemon=True)
        self.thread.start()

    def serve(self):
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:  # the socket was closed: stop serving
                return
            self.accepted += 1
            conn.close()

    def close(self):
        self.sock.shutdown(socket.SHUT_RDWR)  # wakes the blocked accept()
        self.sock.close()
        self.thread.join(timeout=5)


@pytest.fixture
def closing_server():
    server = ClosingServer()
    yield server
    server.close()


def test_unreachable_cache_get_returns_the_default_and_warns(caplog):
    cache = unreachable_cache()

    with caplog.at_level(logging.WARNING, logger="brokerage.redis_cache"):
        value = cache.get("session", "the default")

    assert value == "the default"
    (warning,) = cache_warnings(caplog)
    assert "unreachable (ConnectionError)" in warning


def test_unreachable_cache_reads_are_misses():
    cache = unreachable_cache()

    assert cache.get("card") is None
    assert cache.get_many(["card-1", "card-2"]) == {}
    assert cache.has_key("card") is False
    assert "card" not in cache


def test_unreachable_cache_writes_are_dropped_without_an_exception():
    cache = unreachable_cache()

    assert cache.set("card", "<li>") is None
    assert cache.add("version", "abc", None) is False
    assert cache.touch("card", 60) is False
    assert cache.delete("card") is False
    assert cache.delete_many(["card-1", "card-2"]) is None
    assert cache.clear() is False
    # set_many answers with the keys it did not store: all of them.
    assert cache.set_many({"card-1": "<li>", "card-2": "<li>"}) == ["card-1", "card-2"]


def test_unreachable_cache_counter_is_a_missing_key():
    cache = unreachable_cache()

    with pytest.raises(ValueError, match="not found"):
        cache.incr("hits")
    with pytest.raises(ValueError, match="not found"):
        cache.decr("hits")


def test_unreachable_cache_get_or_set_answers_the_computed_value():
    cache = unreachable_cache()

    assert cache.get_or_set("dashboard", lambda: {"total": 3}, 300) == {"total": 3}


def test_unreachable_cache_warns_once_for_many_calls(caplog):
    cache = unreachable_cache(RETRY_AFTER=0)  # every call tries Redis again, and fails again

    with caplog.at_level(logging.WARNING, logger="brokerage.redis_cache"):
        for n in range(50):
            cache.set(f"card-{n}", "<li>")
            cache.get(f"card-{n}")

    assert len(cache_warnings(caplog)) == 1


def test_failing_cache_is_not_tried_again_until_retry_after(closing_server):
    cache = unreachable_cache(port=closing_server.port, RETRY_AFTER=60)

    for n in range(20):
        cache.get(f"card-{n}")

    assert closing_server.accepted == 1


def test_failing_cache_is_tried_again_after_retry_after(closing_server):
    cache = unreachable_cache(port=closing_server.port, RETRY_AFTER=0.05)
    cache.get("card")

    def tried_again():
        cache.get("card")
        return closing_server.accepted >= 2

    wait_for(tried_again, 5, "a second connection attempt", every=0.01)
    assert cache.get("card", "missed") == "missed"


def test_unreachable_cache_warning_does_not_show_the_password(caplog):
    cache = RedisCache(f"redis://:s3cret@127.0.0.1:{CLOSED_PORT}/{next(_locations)}", {})

    with caplog.at_level(logging.WARNING, logger="brokerage.redis_cache"):
        cache.get("card")

    (warning,) = cache_warnings(caplog)
    assert "s3cret" not in warning
    assert f"redis://127.0.0.1:{CLOSED_PORT}/" in warning
