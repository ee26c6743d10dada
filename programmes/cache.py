"""A version token for everything the catalogue caches.

Any change to offers or their vocabulary replaces the token, so cached facet
counts, vocabulary lists and glossary lookups are never served stale: a new
token means new cache keys (the old entries simply expire). A random token
rather than a counter, so a cache that was flushed can never bring back an
old key.
"""

import uuid

from django.core.cache import cache

VERSION_KEY = "catalogue:version"
TIMEOUT = 60 * 60


def catalogue_version():
    version = cache.get(VERSION_KEY)
    if version is None:
        version = uuid.uuid4().hex
        # add(): when two processes race, both end up using the one that won.
        if not cache.add(VERSION_KEY, version, None):
            version = cache.get(VERSION_KEY) or version
    return version


def catalogue_changed():
    cache.set(VERSION_KEY, uuid.uuid4().hex, None)


def cached(name, compute, timeout=TIMEOUT):
    """compute() once per catalogue version (and name)."""
    key = f"catalogue:{catalogue_version()}:{name}"
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, timeout)
    return value
