"""The facet panel's HTML, built in Python.

The panel has about 45 options and is different on every filter state (the
counts change), so it cannot be cached; through the template engine it was
the largest part of a computed catalogue page (about a third of its time,
benchmarks/README.md). The markup is the same as the template's was; every
text is escaped here.
"""

from django.utils.html import escape
from django.utils.safestring import mark_safe

LEGENDS = {
    "theme": "Priority",
    "audience": "Who it is for",
    "region": "Region",
    "format": "Format",
    "cost": "Cost",
    "accredited": "Accreditation",
}


def _count(facet, value, count, oob=False):
    swap = ' data-hx-swap-oob="true"' if oob else ""
    return (
        f'<span class="facet-count" id="c-{facet}-{value}"{swap}><span class="visually-hidden">(</span>'
        f'{count}<span class="visually-hidden"> offers)</span></span>'
    )


def facet_panel(facets):
    """The fieldsets of checkboxes with their counts, as catalogue_page's "facets" describes them."""
    parts = []
    for facet, options in facets.items():
        if not options:
            continue
        parts.append(f'<fieldset class="facet mb-3">\n<legend class="h6 fw-semibold">{LEGENDS[facet]}</legend>\n')
        for option in options:
            value = escape(option["value"])
            empty = " facet-empty" if not option["count"] and not option["checked"] else ""
            checked = " checked" if option["checked"] else ""
            parts.append(
                f'<div class="form-check facet-option{empty}">'
                f'<input class="form-check-input" type="checkbox" name="{facet}" value="{value}" '
                f'id="f-{facet}-{value}"{checked}>'
                f'<label class="form-check-label d-flex justify-content-between gap-2" for="f-{facet}-{value}">'
                f'<span>{escape(option["label"])}</span>{_count(facet, value, option["count"])}</label></div>\n'
            )
        parts.append("</fieldset>\n")
    return mark_safe("".join(parts))


def facet_counts_oob(facets):
    """Every option's count as an htmx out-of-band swap (the partial page updates the panel's counts)."""
    return mark_safe("".join(
        _count(facet, escape(option["value"]), option["count"], oob=True)
        for facet, options in facets.items() for option in options
    ))


def chosen_labels(facets):
    return [option["label"] for options in facets.values() for option in options if option["checked"]]
