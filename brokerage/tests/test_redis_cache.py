"""The Redis cache with no Redis answering: misses and dropped writes, a logged error, no exception."""

import itertools
import logging

import pytest
from django_redis.cache import RedisCache

from brokerage.log_filters import OncePerInterval

# Port 1 on the loopback: nothing listens there, a connection is refused at once.
CLOSED_PORT = 1
_databases = itertools.count(100)


def unreachable_cache(location=None):
    """The cache as settings.CACHES configures it with REDIS_URL set, pointed at a closed port."""
    location = location or f"redis://127.0.0.1:{CLOSED_PORT}/{next(_databases)}"
    return RedisCache(location, {"OPTIONS": {"SOCKET_CONNECT_TIMEOUT": 0.25, "SOCKET_TIMEOUT": 0.25,
                                             "IGNORE_EXCEPTIONS": True}})


@pytest.fixture
def cache_log(caplog):
    """The cache's log, with its once-a-minute filter starting afresh."""
    limiters = [f for f in logging.getLogger("brokerage.cache").filters if isinstance(f, OncePerInterval)]
    assert limiters, "the brokerage.cache logger has lost its once-a-minute filter"
    # Another test may have configured logging again (dictConfig adds filters, never removes them).
    for limiter in limiters:
        limiter.last, limiter.dropped = None, 0
    with caplog.at_level(logging.WARNING, logger="brokerage.cache"):
        yield lambda: [r for r in caplog.records if r.name == "brokerage.cache"]


def test_unreachable_cache_reads_are_misses():
    cache = unreachable_cache()

    assert cache.get("session", "the default") == "the default"
    assert cache.get("card") is None
    assert cache.get_many(["card-1", "card-2"]) == {}
    assert not cache.has_key("card")
    assert "card" not in cache


def test_unreachable_cache_writes_are_dropped_without_an_exception():
    cache = unreachable_cache()

    assert not cache.set("card", "<li>")
    assert not cache.add("version", "abc", None)
    assert not cache.delete("card")
    cache.delete_many(["card-1", "card-2"])
    cache.clear()
    cache.set_many({"card-1": "<li>", "card-2": "<li>"})


def test_unreachable_cache_counter_counts_nothing():
    """django-ratelimit reads a None count as "cannot count" and lets the post through (RATELIMIT_FAIL_OPEN)."""
    cache = unreachable_cache()

    assert cache.incr("hits") is None


def test_unreachable_cache_get_or_set_answers_the_computed_value():
    cache = unreachable_cache()

    assert cache.get_or_set("dashboard", lambda: {"total": 3}, 300) == {"total": 3}


def test_unreachable_cache_is_logged_once_for_many_calls(cache_log):
    cache = unreachable_cache()

    for n in range(50):
        cache.set(f"card-{n}", "<li>")
        cache.get(f"card-{n}")

    (record,) = cache_log()
    assert record.levelno == logging.ERROR
    assert "Connection refused" in logging.Formatter().format(record)


def test_unreachable_cache_log_does_not_show_the_password(cache_log):
    cache = unreachable_cache(f"redis://:s3cret@127.0.0.1:{CLOSED_PORT}/{next(_databases)}")

    cache.get("card")

    (record,) = cache_log()
    logged = logging.Formatter().format(record)
    assert "s3cret" not in logged
    assert "Connection refused" in logged


def test_once_per_interval_counts_what_it_left_out():
    limiter = OncePerInterval(seconds=3600)
    records = [logging.LogRecord("brokerage.cache", logging.ERROR, __file__, 1, "Exception ignored", None, None)
               for _ in range(4)]

    passed = [limiter.filter(record) for record in records[:3]]
    limiter.last -= 3600  # an hour later
    assert passed == [True, False, False]
    assert limiter.filter(records[3]) is True
    assert records[3].getMessage() == "Exception ignored (and 2 more like it since the last message)"
