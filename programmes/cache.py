"""A version token for everything the catalogue caches.

Any change to offers or their vocabulary replaces the token, so cached facet
counts, vocabulary lists and glossary lookups are never served stale: a new
token means new cache keys (the old entries simply expire). A random token
rather than a counter, so a cache that was flushed can never bring back an
old key.

Two levels: the shared cache (Redis in production) holds the token and the
values; each process also keeps the values it has seen for the current token
in memory, and rereads the token from the shared cache at most once every
VERSION_RECHECK seconds. A change made in this process is seen here at once;
another process sees it within VERSION_RECHECK seconds. Without this, every
catalogue page made dozens of cache round trips (measured: about 4 ms each on
a busy machine, most of the page's time).
"""

import threading
import time
import uuid
from collections import OrderedDict

from django.core.cache import cache

VERSION_KEY = "catalogue:version"
TIMEOUT = 60 * 60
VERSION_RECHECK = 1.0  # seconds a process trusts the token it last read

_local = threading.local()
_memory = {"version": None, "values": OrderedDict()}
# Values a process keeps in memory per version, least recently used dropped
# first: rendered pages and search matches come and go, while the facet index
# and the vocabulary, used by every request, stay.
MEMORY_KEPT = 256
_memory_lock = threading.Lock()


def _remember_version(version):
    with _memory_lock:
        if _memory["version"] != version:
            _memory["version"] = version
            _memory["values"] = OrderedDict()
    _local.version, _local.read_at = version, time.monotonic()


def catalogue_version():
    read_at = getattr(_local, "read_at", None)
    if read_at is not None and time.monotonic() - read_at < VERSION_RECHECK:
        return _local.version
    version = cache.get(VERSION_KEY)
    if version is None:
        version = uuid.uuid4().hex
        # add(): when two processes race, both end up using the one that won.
        if not cache.add(VERSION_KEY, version, None):
            version = cache.get(VERSION_KEY) or version
    _remember_version(version)
    return version


def catalogue_changed():
    version = uuid.uuid4().hex
    cache.set(VERSION_KEY, version, None)
    _remember_version(version)


def forget_local():
    """Drop what this process remembers (tests that clear the shared cache call this)."""
    _local.__dict__.clear()
    with _memory_lock:
        _memory["version"], _memory["values"] = None, OrderedDict()


_MISSING = object()


def cached(name, compute, timeout=TIMEOUT):
    """compute() once per catalogue version (and name), shared between processes."""
    version = catalogue_version()
    if _memory["version"] == version:
        with _memory_lock:
            values = _memory["values"]
            value = values.get(name, _MISSING)
            if value is not _MISSING:
                values.move_to_end(name)
                return value
    key = f"catalogue:{version}:value:{name}"
    wrapped = cache.get(key)
    if wrapped is None:
        wrapped = (compute(),)  # a tuple, so a computed None is cached too
        cache.set(key, wrapped, timeout)
    with _memory_lock:
        if _memory["version"] == version:
            values = _memory["values"]
            values[name] = wrapped[0]
            values.move_to_end(name)
            while len(values) > MEMORY_KEPT:
                values.popitem(last=False)
    return wrapped[0]
