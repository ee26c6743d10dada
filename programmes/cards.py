"""An offer's card (catalogue, programme pages), built in Python.

A catalogue page shows twenty cards, and through the template engine each
took about half a millisecond: on a page whose cards were not rendered
before (a new filter state at 50,000 offers), or on a signed-in provider's
page (their cards say which priorities match and carry a plan button), the
cards were half of the page's time. Every text is escaped here; the
``{% offer_card %}`` tag (``templatetags/cards.py``) puts a card in a template.
"""

from django.template.defaultfilters import floatformat
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.html import conditional_escape as esc
from django.utils.safestring import mark_safe

from .templatetags.glossary import acronyms


def _when(offer):
    if offer.is_rolling:
        return '<span class="badge text-bg-light border">Any time</span>'
    if not offer.starts_on:
        return ""
    when = date_format(offer.starts_on, "j M Y")
    if offer.ends_on and offer.ends_on != offer.starts_on:
        when = f"{when} to {date_format(offer.ends_on, 'j M Y')}"
    return f'<span class="badge text-bg-light border">{when}</span>'


def _facts(offer):
    if offer.cost == "paid" and offer.price is not None:
        cost = f"£{floatformat(offer.price, '-2')} per person"
    else:
        cost = esc(offer.get_cost_display())
    facts = [
        f'<span class="visually-hidden">Format: </span>{esc(offer.get_format_display())}',
        f'<span class="visually-hidden">Cost: </span>{cost}',
    ]
    if offer.accredited:
        facts.append(f"Accredited ({esc(offer.level)})" if offer.level else "Accredited")
    if offer.is_national:
        facts.append("Available nationally")
    return "".join(f'<li class="list-inline-item">{fact}</li>' for fact in facts)


def _plan_action(offer, csrf_token, next_url):
    if getattr(offer, "in_plan", False):
        return '<span class="badge text-bg-success">In your CPD plan</span>'
    return (
        f'<form method="post" action="{reverse("account:plan_add", args=[offer.pk])}" class="m-0">'
        f'<input type="hidden" name="csrfmiddlewaretoken" value="{esc(csrf_token)}">'
        f'<input type="hidden" name="next" value="{esc(next_url)}">'
        '<button type="submit" class="btn btn-sm btn-outline-primary">Add to CPD plan'
        f'<span class="visually-hidden">: {esc(offer.title)}</span></button></form>'
    )


def offer_card(offer, *, plan_form=None):
    """The card's HTML. plan_form: (csrf token, address to come back to) for a provider contact's plan button."""
    stale = getattr(offer, "review_overdue", False)
    matches = getattr(offer, "matches", None)
    classes = "card offer-card shadow-sm mb-3" + (" offer-stale" if stale else "") + (" offer-match" if matches else "")
    parts = [
        f'<article class="{classes}" aria-labelledby="offer-{offer.pk}-title"><div class="card-body">',
        '<div class="d-flex flex-wrap justify-content-between gap-2 mb-1">',
        f'<p class="offer-programme small fw-semibold mb-0"><a href="{esc(offer.programme.get_absolute_url())}">'
        f"{esc(offer.programme.plain_name)}</a></p>",
        f'<p class="offer-when small mb-0">{_when(offer)}</p></div>',
        f'<h2 class="h5 offer-title mb-2" id="offer-{offer.pk}-title"><a href="{esc(offer.get_absolute_url())}" '
        f'class="stretched-link-off">{esc(offer.title)}</a></h2>',
    ]
    if matches:
        parts.append('<p class="match-reason small mb-2"><span class="fw-semibold">Matches your priorities:</span> '
                     f'{", ".join(esc(match) for match in matches)}</p>')
    parts.append(f'<p class="mb-2">{acronyms(offer.summary)}</p>')
    parts.append(f'<ul class="list-inline offer-facts small mb-2">{_facts(offer)}</ul>')
    themes, audiences = offer.themes.all(), offer.audiences.all()
    if themes:
        chips = "".join(f'<span class="theme-chip">{esc(theme.name)}</span>' for theme in themes)
        parts.append(f'<p class="small mb-1"><span class="visually-hidden">Priorities: </span>{chips}</p>')
    if audiences:
        parts.append('<p class="small mb-2 text-secondary-emphasis">For: '
                     f'{", ".join(esc(audience.name) for audience in audiences)}</p>')
    also = getattr(offer, "also_offered", None)
    if also:
        links = ", ".join(f'<a href="{esc(other.get_absolute_url())}">{esc(other.programme.plain_name)}</a>'
                          for other in also)
        parts.append(f'<p class="small mb-2 also-offered">Also offered by {links}</p>')
    checked_on = date_format(offer.last_reviewed_on, "j F Y")
    checked = (f"Last checked by {esc(offer.last_reviewed_by.name)} on {checked_on}" if offer.last_reviewed_by
               else f"Last checked on {checked_on}")
    if stale:
        checked += ' <span class="badge badge-stale ms-1">Not checked for over 6 months</span>'
    parts.append('<div class="d-flex flex-wrap justify-content-between align-items-center gap-2 offer-foot">'
                 f'<p class="small mb-0 text-secondary-emphasis">{checked}</p>')
    if plan_form is not None:
        parts.append(_plan_action(offer, *plan_form))
    parts.append("</div></div></article>")
    return mark_safe("".join(parts))
