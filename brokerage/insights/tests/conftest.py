import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def fresh_cache():
    """The dashboard caches its figures per region and period: start every test without them."""
    cache.clear()
    yield
    cache.clear()
