"""What shapes the catalogue's cached values (facet index, cards, pages), for the cache keys' fingerprint.

programmes.cache hashes these once per process: a deploy that changes any of
them (a facet's declaration, the card's template, the index's code) uses new
cache keys, so no number has to be bumped by hand.
"""

from pathlib import Path

from django.template.loader import get_template

import brokerage.jinja2_env
import programmes.cache
import programmes.cards
import programmes.words

from . import facet_index, facets, filters, panel, selectors

# jinja2_env and words: the filters and words the card's template calls.
MODULES = [
    facets, facet_index, filters, panel, selectors, programmes.cards, programmes.cache, programmes.words,
    brokerage.jinja2_env,
]
TEMPLATES = [
    programmes.cards.CARD_TEMPLATE,
    "catalogue/offer_list.html",
    "catalogue/_results.html",
    "catalogue/_facets.html",
    panel.PANEL_TEMPLATE,
    panel.COUNTS_TEMPLATE,
    "catalogue/facet_count.jinja",
]


def _template_source(name):
    origin = get_template(name).origin
    return Path(origin.name).read_bytes() if Path(str(origin.name)).is_file() else str(origin.name)


def catalogue_shape():
    """The parts of the fingerprint: declarations first, then the source of the code and templates."""
    yield repr([facet.describe() for facet in facets.FACETS])
    for module in MODULES:
        yield Path(module.__file__).read_bytes()
    for name in TEMPLATES:
        yield _template_source(name)


def register():
    programmes.cache.register_shape("catalogue", catalogue_shape)
