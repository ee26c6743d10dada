"""Django's Redis cache, degrading to misses while Redis does not answer.

Reusing clients: Django builds a new ``redis.Redis`` for every cache call, and
each one fills its table of about 170 response callbacks: measured at about a
tenth of a millisecond per call, several calls per request. A client only
wraps its pool and is safe to share between threads, and the pool already
starts over in a forked process, so one client per pool is enough.

Degrading: the cache only ever holds copies (sessions are written to the
database too, catalogue values are recomputed), so while Redis is unreachable
a read is a miss and a write is dropped, with a warning at most once a
minute, instead of a 500 on every page. After a failure the process leaves
Redis alone for ``RETRY_AFTER`` seconds, so a Redis that hangs costs one
socket timeout per second, not one per call. A write dropped meanwhile (a
deleted session, a new catalogue version) would leave an old value behind in
a Redis that comes back with its data, so the first call after such an outage
empties the cache database first.
"""

import logging
import re
import threading
import time

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

# Redis not answering (refused, reset, timed out, still loading its data);
# any other error is a bug or a misconfiguration and still raises.
UNREACHABLE = (RedisConnectionError, RedisTimeoutError)
RETRY_AFTER = 1.0  # seconds a process answers from fallbacks after a failure
WARN_EVERY = 60.0  # seconds between two warnings of the same outage


class ReusingRedisCacheClient(RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(pool)
        if client is None:
            client = self._clients[pool] = self._client(connection_pool=pool)
        return client


class Outage:
    """What one process knows of its Redis: since when it has failed, and whether writes were dropped.

    Shared by the process's threads (Django makes one cache object per thread),
    so a write dropped by one thread is cleared up by whichever answers first.
    """

    def __init__(self, location, retry_after):
        self.location = re.sub(r"//[^@/]*@", "//", location)  # for the log: no password
        self.retry_after = retry_after
        self.lock = threading.Lock()
        self.since = None  # monotonic time of the first failure, None while Redis answers
        self.retry_at = 0.0
        self.warned_at = 0.0
        self.fallbacks = 0  # calls answered without Redis since the last warning
        self.dropped_writes = False

    def waiting(self):
        """True while a recent failure says not to try Redis yet."""
        return self.since is not None and time.monotonic() < self.retry_at

    def fell_back(self, *, write, error=None):
        now = time.monotonic()
        with self.lock:
            first = self.since is None
            if first:
                self.since = now
            if error is not None:
                self.retry_at = now + self.retry_after
            self.fallbacks += 1
            self.dropped_writes = self.dropped_writes or write
            warn = first or now - self.warned_at >= WARN_EVERY
            if warn:
                self.warned_at, fallbacks, self.fallbacks = now, self.fallbacks, 0
        if warn:
            logger.warning(
                "cache %s unreachable (%s); reads are misses and writes are dropped "
                "(%d calls since the last warning), pages are served from the database",
                self.location, error.__class__.__name__ if error else "waiting to retry", fallbacks,
            )

    def answered(self, *, cleared):
        if self.since is None:  # the usual case, without taking the lock
            return
        with self.lock:
            if self.since is None:
                return
            down_for, fallbacks = time.monotonic() - self.since, self.fallbacks
            self.since, self.fallbacks, self.dropped_writes = None, 0, False
        logger.warning(
            "cache %s answers again after %.1f s (%d more calls fell back)%s",
            self.location, down_for, fallbacks, "; emptied it, as writes were dropped" if cleared else "",
        )


_outages = {}
_outages_lock = threading.Lock()


def outage_for(location, retry_after):
    with _outages_lock:
        if location not in _outages:
            _outages[location] = Outage(location, retry_after)
        return _outages[location]


_NOT_COUNTED = object()  # incr's fallback, turned into Django's answer for a missing key


class RedisCache(DjangoRedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = ReusingRedisCacheClient
        self.outage = outage_for(server if isinstance(server, str) else ",".join(server),
                                 params.get("RETRY_AFTER", RETRY_AFTER))

    def guarded(self, call, fallback, *, write):
        """call(), or fallback while Redis does not answer (see the module docstring)."""
        outage = self.outage
        if outage.waiting():
            outage.fell_back(write=write)
            return fallback
        cleared = False
        try:
            if outage.dropped_writes:
                # Redis may be back with values that dropped writes were to replace or delete.
                super().clear()
                cleared = True
            result = call()
        except UNREACHABLE as error:
            outage.fell_back(write=write, error=error)
            return fallback
        outage.answered(cleared=cleared)
        return result

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self.guarded(lambda: super(RedisCache, self).add(key, value, timeout, version), False, write=True)

    def get(self, key, default=None, version=None):
        return self.guarded(lambda: super(RedisCache, self).get(key, default, version), default, write=False)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        self.guarded(lambda: super(RedisCache, self).set(key, value, timeout, version), None, write=True)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self.guarded(lambda: super(RedisCache, self).touch(key, timeout, version), False, write=True)

    def delete(self, key, version=None):
        return self.guarded(lambda: super(RedisCache, self).delete(key, version), False, write=True)

    def get_many(self, keys, version=None):
        return self.guarded(lambda: super(RedisCache, self).get_many(keys, version), {}, write=False)

    def has_key(self, key, version=None):
        return self.guarded(lambda: super(RedisCache, self).has_key(key, version), False, write=False)

    def incr(self, key, delta=1, version=None):
        # A counter that cannot be read is a missing key, as Django says it: ValueError.
        result = self.guarded(lambda: super(RedisCache, self).incr(key, delta, version), _NOT_COUNTED, write=True)
        if result is _NOT_COUNTED:
            raise ValueError(f"Key '{key}' not found (the cache does not answer).")
        return result

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        # Django's answer: the keys that were not stored.
        return self.guarded(lambda: super(RedisCache, self).set_many(data, timeout, version), list(data), write=True)

    def delete_many(self, keys, version=None):
        self.guarded(lambda: super(RedisCache, self).delete_many(keys, version), None, write=True)

    def clear(self):
        return self.guarded(lambda: super(RedisCache, self).clear(), False, write=True)
