"""The facet panel and its out-of-band counts, rendered from Jinja2 templates (templates/jinja2/catalogue/).

The panel has about fifty options and changes with every filter state, so
it is rendered on every computed page; Django's Jinja2 backend renders it
about three times faster than the Django template language
(benchmarks/README.md). Jinja2 escapes every value, as Django's templates do.
"""

from django.template import engines
from django.utils.safestring import mark_safe

PANEL_TEMPLATE = "catalogue/facet_panel.jinja"
COUNTS_TEMPLATE = "catalogue/facet_counts_oob.jinja"


def _render(name, panel):
    return mark_safe(engines["jinja2"].get_template(name).render({"facet_panel": panel}))


def facet_panel(panel):
    """The fieldsets of checkboxes with counts; panel: [{name, label, options: [{value, label, count, checked}]}]."""
    return _render(PANEL_TEMPLATE, panel)


def facet_counts_oob(panel):
    return _render(COUNTS_TEMPLATE, panel)
