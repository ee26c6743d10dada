"""An offer's card (catalogue, programme pages): its template and what the template is given.

The markup is ``templates/jinja2/programmes/offer_card.jinja``, rendered through
Django's Jinja2 backend (autoescape on): a computed catalogue page renders up
to 50 new cards, and Jinja2 renders them several times faster than the Django
template language (benchmarks/README.md). The ``{% offer_card %}`` tag
(``templatetags/cards.py``) puts a card in a Django page. The catalogue keeps
rendered cards of anonymous visitors (brokerage.catalogue.selectors), so a
card is rendered about once per catalogue version.
"""

from types import SimpleNamespace

from django.template import engines
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from programmes.choices import CostKind, OfferFormat, OrganisationKind
from programmes.models import Offer, Programme
from programmes.translated_text import content_language, translated
from programmes.words import choice_label_in, gettext_in

CARD_TEMPLATE = "programmes/offer_card.jinja"
_KINDS = OrganisationKind.values  # the order Offer.open_to_labels lists them in
_SLUG = "card-slug-marker"


def _address_by_slug(model):
    """slug -> the model's get_absolute_url() for that slug, reversed once: a card
    batch would otherwise reverse two addresses per card (a quarter of its time).
    Slugs are URL-safe (SlugField), so the address holds the slug as it is.
    The method is called on a stand-in with a slug: building a model instance
    (with its translated fields) cost more than the reversing."""
    before, after = model.get_absolute_url(SimpleNamespace(slug=_SLUG)).split(_SLUG)
    return lambda slug: f"{before}{slug}{after}"


def card_context(offer, *, plan_form=None, addresses=None, language=None):
    """What the card template shows of an offer.

    A reader may set plain attributes on the offer first: ``card_themes`` and
    ``card_audiences`` (else the offer's themes and audiences are read, or
    their prefetch), ``review_overdue``, ``in_plan``, ``plan_add_url`` (the
    plan button's address) and ``also_offered``. plan_form: (csrf token,
    address to come back to) for a provider contact's plan button. addresses:
    (offer's, programme's) slug -> address functions shared by a batch.
    Nothing per viewer beyond the plan button: why an offer suits a provider
    is shown beside the card (catalogue/_results.html).
    language: the active one, asked once by a batch (asking costs as much as a card's date).

    The card's words (``_``) and its format, cost and open-to labels are kept per
    language: get_FOO_display() with translated choices translates every
    choice of the field to find one.
    """
    language = language or get_language()
    offer_address, programme_address = addresses or (_address_by_slug(Offer), _address_by_slug(Programme))
    themes = getattr(offer, "card_themes", None)
    audiences = getattr(offer, "card_audiences", None)
    content = content_language(language)
    # The texts are looked up here rather than in the template: a call from Jinja2 costs several from Python.
    title, summary = translated(offer, "title", content), translated(offer, "summary", content)
    return {
        "offer": offer,
        "url": offer_address(offer.slug),
        "programme_url": programme_address(offer.programme.slug),
        "programme_name": translated(offer.programme, "plain_name", content),
        "title": title,
        "summary": summary,
        "condition": translated(offer, "open_to_condition", content),
        "welsh_missing": title.is_fallback or summary.is_fallback,  # English shown on a Welsh page
        "theme_names": [translated(theme, "name", content) for theme in (offer.themes.all() if themes is None else themes)],
        "audience_names": [
            translated(audience, "name", content) for audience in (offer.audiences.all() if audiences is None else audiences)
        ],
        "_": gettext_in(language),
        "language": language,  # the date filter's, rather than asking per date
        # translated() of the "also offered by" line, without asking the language per text.
        "translated": lambda obj, field: translated(obj, field, content),
        "format_label": choice_label_in(OfferFormat, offer.format, language),
        "cost_label": choice_label_in(CostKind, offer.cost, language),
        "open_to_labels": [choice_label_in(OrganisationKind, kind, language) for kind in _KINDS if kind in (offer.open_to or ())],
        "stale": getattr(offer, "review_overdue", False),
        # The plan belongs to a layer above: its caller puts the form's address on the offer.
        "plan": None if plan_form is None or not getattr(offer, "plan_add_url", None)
        else {"csrf_token": plan_form[0], "next": plan_form[1], "action": offer.plan_add_url},
    }


def offer_cards(offers, *, plan_form=None):
    """The cards' HTML, one per offer, in order: the template is looked up once for them all."""
    offers = list(offers)
    if not offers:  # every card of the page was cached
        return []
    template = engines["jinja2"].get_template(CARD_TEMPLATE)
    addresses = (_address_by_slug(Offer), _address_by_slug(Programme))
    language = get_language()
    return [
        mark_safe(template.render(card_context(offer, plan_form=plan_form, addresses=addresses, language=language)))
        for offer in offers
    ]


def offer_card(offer, *, plan_form=None):
    """One card's HTML (escaped by the template engine)."""
    return offer_cards([offer], plan_form=plan_form)[0]
