"""The catalogue's per-process memory: bounded, least recently used dropped first, renewed with the version."""

import pytest
from django.core.cache import cache

from programmes import cache as catalogue_cache


@pytest.fixture(autouse=True)
def empty_caches():
    cache.clear()
    catalogue_cache.forget_local()
    yield
    cache.clear()
    catalogue_cache.forget_local()


def test_a_value_used_every_time_stays_while_one_off_values_come_and_go():
    computed = []

    def index():
        computed.append("index")
        return "the index"

    for n in range(catalogue_cache.MEMORY_KEPT * 3):
        assert catalogue_cache.cached("index", index) == "the index"
        catalogue_cache.cached(f"page-{n}", lambda n=n: f"page {n}")

    kept = catalogue_cache._memory["values"]
    assert computed == ["index"]
    assert len(kept) == catalogue_cache.MEMORY_KEPT
    assert "index" in kept
    assert "page-0" not in kept and f"page-{catalogue_cache.MEMORY_KEPT * 3 - 1}" in kept


def test_a_new_version_computes_again():
    calls = []
    catalogue_cache.cached("counts", lambda: calls.append(1) or len(calls))
    catalogue_cache.catalogue_changed()

    assert catalogue_cache.cached("counts", lambda: calls.append(1) or len(calls)) == 2
