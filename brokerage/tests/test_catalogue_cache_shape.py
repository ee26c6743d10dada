"""The catalogue's caches cannot serve an old shape to new code: new keys after a deploy, odd values are misses."""

import dataclasses
import re

import pytest
from django.core.cache import cache

from brokerage.catalogue import selectors
from programmes import cache as catalogue_cache
from programmes.selectors import today

pytestmark = pytest.mark.django_db
URL = "/offers/"


@pytest.fixture(autouse=True)
def _fingerprint_of_the_code_again():
    yield
    catalogue_cache.forget_shape()


def _new_process():
    catalogue_cache.forget_local()
    catalogue_cache.forget_shape()
    selectors._cards.update(key=None, cards={})


def _cost_counts(response):
    """The cost facet's counts as the page shows them (the page may come from the page cache)."""
    assert response.status_code == 200
    found = re.findall(r'id="c-cost-(\w+)"><span aria-hidden="true">(\d+)<', response.content.decode())
    assert found
    return dict(found)


def _index_key():
    return f"catalogue:{catalogue_cache.namespace()}:value:facet-index:False:{today().isoformat()}"


def test_a_deploy_that_changes_the_shape_uses_new_keys(client, catalogue, monkeypatch):
    first = client.get(URL)
    space = catalogue_cache.namespace()
    built = []
    real_build = selectors.build_index
    monkeypatch.setattr(selectors, "build_index", lambda **kw: built.append(kw) or real_build(**kw))

    # A new template (or any registered part) is a new fingerprint once the process starts.
    monkeypatch.setitem(catalogue_cache._shapes, "a-new-template", lambda: ["<p>{{ offer.title }}</p>"])
    _new_process()
    second = client.get(URL)
    new_space = catalogue_cache.namespace()

    assert new_space != space
    assert len(built) == 1  # the index was built afresh under the new keys, not read from the old ones
    assert second.status_code == 200 and _cost_counts(second) == _cost_counts(first)


def test_an_index_of_an_older_shape_in_the_cache_is_a_miss(client, catalogue):
    expected = _cost_counts(client.get(URL))
    key = _index_key()
    (index,) = cache.get(key)
    old = dataclasses.replace(index, bits={k: v for k, v in index.bits.items() if k != "cost"})
    cache.set(key, (old,))
    selectors._cards.update(key=None, cards={})
    catalogue_cache.forget_local()  # another process, reading the shared cache

    response = client.get(URL, {"theme": "maths"})

    assert response.status_code == 200
    assert _cost_counts(client.get(URL)) == expected


@pytest.mark.parametrize("stored", ["garbage", ("a", "tuple", "of three"), (None,), ({"bits": {}},)])
def test_any_value_of_the_wrong_shape_is_a_miss(client, catalogue, stored):
    expected = _cost_counts(client.get(URL))
    cache.set(_index_key(), stored)
    catalogue_cache.forget_local()

    response = client.get(URL, {"cost": "free"})

    assert response.status_code == 200
    assert _cost_counts(client.get(URL)) == expected


def test_a_cached_card_of_the_wrong_shape_is_rendered_again(client, catalogue, settings):
    settings.CATALOGUE_PAGE_CACHE = False
    client.get(URL, {"theme": "maths"})
    space = catalogue_cache.namespace()
    for pk in (catalogue["a"].pk, catalogue["c"].pk):
        cache.set(f"catalogue:{space}:card:{today().isoformat()}:{pk}", "<p>an old card</p>")
    selectors._cards.update(key=None, cards={})
    catalogue_cache.forget_local()

    page = client.get(URL, {"theme": "maths"}).content.decode()

    assert "an old card" not in page and "Maths coaching for teachers" in page


def test_a_new_facet_declared_after_the_index_was_cached_is_served_at_once(client, catalogue, monkeypatch):
    """No number bumped by hand: the cached index lacks the new facet, so it is a miss, not a KeyError."""
    from brokerage.catalogue import facet_index, facets, filters, shape

    assert client.get(URL, {"theme": "maths"}).status_code == 200  # index cached, pages cached
    national = facets._field(
        "national", "Where it runs", "is_national", [("yes", "Everywhere"), ("no", "Some regions")],
        key=lambda flag: "yes" if flag else "no", db_values={"yes": True, "no": False},
    )
    declared = (*facets.FACETS, national)
    for module in (facets, facet_index, filters, selectors, shape):
        monkeypatch.setattr(module, "FACETS", declared, raising=False)
    catalogue_cache.forget_local()  # only the process memory: same fingerprint, same shared keys

    response = client.get(URL, {"national": "yes"})

    assert response.status_code == 200
    assert [o.slug for o in response.context["offers"]] == ["leading-curriculum"]
    counts = {option["value"]: option["count"] for option in response.context["facets"]["national"]}
    assert counts == {"yes": 1, "no": 2}
    assert "Where it runs" in response.content.decode()
