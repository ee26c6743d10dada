"""A version token for everything the catalogue caches.

Any change to offers or their vocabulary replaces the token, so cached facet
counts, vocabulary lists and glossary lookups are never served stale: a new
token means new cache keys (the old entries simply expire). A random token
rather than a counter, so a cache that was flushed can never bring back an
old key.

Every key also carries a fingerprint of what shapes the cached values: the
code, templates and facet declarations that apps register with
register_shape(), hashed once per process. A deploy that changes any of them
uses new keys, so new code never reads a value of an old shape; and a value
that a reader's accept() refuses (or that cannot be read back) is treated as
a miss, never as an error.

Two levels: the shared cache (Redis in production) holds the token and the
values; each process also keeps the values it has seen for the current token
in memory, and rereads the token from the shared cache at most once every
VERSION_RECHECK seconds. A change made in this process is seen here at once;
another process sees it within VERSION_RECHECK seconds. Without this, every
catalogue page made dozens of cache round trips (measured: about 4 ms each on
a busy machine, most of the page's time).
"""

import hashlib
import logging
import pickle
import threading
import time
import uuid
from collections import OrderedDict

from django.core.cache import cache

VERSION_KEY = "catalogue:version"
TIMEOUT = 60 * 60
VERSION_RECHECK = 1.0  # seconds a process trusts the token it last read

logger = logging.getLogger(__name__)

_local = threading.local()
_memory = {"namespace": None, "values": OrderedDict()}
# Values a process keeps in memory per version, least recently used dropped
# first: rendered pages and search matches come and go, while the facet index
# and the vocabulary, used by every request, stay.
MEMORY_KEPT = 256
_memory_lock = threading.Lock()


_shapes = {}
_fingerprint = {"value": None}


def register_shape(name, parts):
    """parts(): bytes or text that shape the cached values (source, templates, declarations); read once per process."""
    _shapes[name] = parts
    _fingerprint["value"] = None


def shape_fingerprint():
    """A short hash of every registered shape, computed on first use (so at start-up) and kept."""
    if _fingerprint["value"] is None:
        digest = hashlib.sha256()
        for name in sorted(_shapes):
            digest.update(name.encode())
            for part in _shapes[name]():
                digest.update(part if isinstance(part, bytes) else str(part).encode())
        _fingerprint["value"] = digest.hexdigest()[:12]
    return _fingerprint["value"]


def forget_shape():
    """Compute the fingerprint again at next use (what a freshly started process does)."""
    _fingerprint["value"] = None


def _remember_version(version):
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
        _memory["namespace"], _memory["values"] = None, OrderedDict()


def namespace():
    """The prefix of every catalogue key: the data version and the shape fingerprint."""
    return f"{catalogue_version()}.{shape_fingerprint()}"


# What unpickling a value written by other code can raise (a class moved or
# changed shape): such a value is a miss.
_UNREADABLE = (pickle.UnpicklingError, AttributeError, ImportError, EOFError, TypeError, ValueError)


def shared_get(key, accept):
    """cache.get(key), or None when the value is missing, unreadable or refused by accept()."""
    try:
        value = cache.get(key)
    except _UNREADABLE:
        logger.warning("catalogue cache: unreadable value of %s dropped", key, exc_info=True)
        return None
    return value if value is not None and accept(value) else None


def shared_get_many(keys, accept):
    """cache.get_many() keeping only the values accept() takes; unreadable values are misses."""
    try:
        found = cache.get_many(keys)
    except _UNREADABLE:
        logger.warning("catalogue cache: unreadable values dropped", exc_info=True)
        return {}
    return {key: value for key, value in found.items() if accept(value)}


_MISSING = object()


def _always(value):
    return True


def cached(name, compute, timeout=TIMEOUT, accept=_always):
    """compute() once per catalogue namespace (and name), shared between processes.

    accept(value): False for a value of a shape this code cannot use, which is
    then computed again and replaces it.
    """
    space = namespace()
    with _memory_lock:
        if _memory["namespace"] != space:
            _memory["namespace"], _memory["values"] = space, OrderedDict()
        values = _memory["values"]
        value = values.get(name, _MISSING)
        if value is not _MISSING and accept(value):
            values.move_to_end(name)
            return value
    key = f"catalogue:{space}:value:{name}"
    wrapped = shared_get(key, lambda found: isinstance(found, tuple) and len(found) == 1 and accept(found[0]))
    if wrapped is None:
        wrapped = (compute(),)  # a tuple, so a computed None is cached too
        cache.set(key, wrapped, timeout)
    with _memory_lock:
        if _memory["namespace"] == space:
            values = _memory["values"]
            values[name] = wrapped[0]
            values.move_to_end(name)
            while len(values) > MEMORY_KEPT:
                values.popitem(last=False)
    return wrapped[0]
