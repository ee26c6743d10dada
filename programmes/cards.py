"""An offer's card (catalogue, programme pages): its template and what the template is given.

The markup is ``templates/programmes/_offer_card.html``; the ``{% offer_card %}``
tag (``templatetags/cards.py``) puts a card in a page. The catalogue keeps
rendered cards of anonymous visitors (brokerage.catalogue.selectors), so a
card is rendered about once per catalogue version.
"""

from django.template.loader import get_template

CARD_TEMPLATE = "programmes/_offer_card.html"


def card_context(offer, *, plan_form=None):
    """What the card template shows of an offer.

    A reader may set plain attributes on the offer first: ``card_themes`` and
    ``card_audiences`` (else the offer's themes and audiences are read, or
    their prefetch), ``review_overdue``, ``matches`` (the priorities it
    matches), ``in_plan``, ``plan_add_url`` (the plan button's address) and ``also_offered``. plan_form: (csrf token,
    address to come back to) for a provider contact's plan button.
    """
    themes = getattr(offer, "card_themes", None)
    audiences = getattr(offer, "card_audiences", None)
    return {
        "offer": offer,
        "themes": offer.themes.all() if themes is None else themes,
        "audiences": offer.audiences.all() if audiences is None else audiences,
        "stale": getattr(offer, "review_overdue", False),
        "matches": getattr(offer, "matches", None),
        # The plan belongs to a layer above: its caller puts the form's address on the offer.
        "plan": None if plan_form is None or not getattr(offer, "plan_add_url", None)
        else {"csrf_token": plan_form[0], "next": plan_form[1], "action": offer.plan_add_url},
    }


def offer_card(offer, *, plan_form=None):
    """The card's HTML (escaped by the template engine)."""
    return get_template(CARD_TEMPLATE).render(card_context(offer, plan_form=plan_form))
