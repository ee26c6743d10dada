import pytest
from django.core.cache import cache

from programmes.cache import forget_local


@pytest.fixture(autouse=True)
def fresh_cache():
    """The dashboard caches its figures per region and period, supply per catalogue version: start without them."""
    cache.clear()
    forget_local()
    yield
    cache.clear()
    forget_local()
