"""Pieces of cache keys shared by the pages that cache what they render."""

import hashlib
from urllib.parse import urlencode


def query_digest(params):
    """A QueryDict's parameters, sorted and hashed: equal queries, in any order, share a key."""
    query = urlencode(sorted((k, v) for k, values in params.lists() for v in values))
    return hashlib.sha256(query.encode()).hexdigest()
