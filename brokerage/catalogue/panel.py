"""The facet panel and its out-of-band counts, rendered from Jinja2 templates (templates/jinja2/catalogue/).

The panel has about fifty options and changes with every filter state, so
it is rendered on every computed page; Django's Jinja2 backend renders it
about three times faster than the Django template language
(benchmarks/README.md). Jinja2 escapes every value, as Django's templates do.
"""

from django.template import engines
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from brokerage.jinja2_env import offers_counted_in

PANEL_TEMPLATE = "catalogue/facet_panel.jinja"
COUNTS_TEMPLATE = "catalogue/facet_counts_oob.jinja"


def _render(name, panel):
    # offers_counted() for the page's language asked once, not once per option.
    context = {"facet_panel": panel, "offers_counted": offers_counted_in(get_language())}
    return mark_safe(engines["jinja2"].get_template(name).render(context))


def facet_panel(panel):
    """The fieldsets of checkboxes with counts; panel: [{name, label, options: [{value, label, count, checked}]}]."""
    return _render(PANEL_TEMPLATE, panel)


def facet_counts_oob(panel):
    return _render(COUNTS_TEMPLATE, panel)
