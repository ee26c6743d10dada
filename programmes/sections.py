"""Sections that apps add to a person's own pages: /account/ (providers) and /workspace/ (programmes).

The pages live in low apps while most of their sections come from higher ones
(bookings from events; enquiries, bulletin preferences and "your data" from
brokerage), which lower apps may not import. So every app, the pages' own
included, registers its sections here, in `programmes` (the lowest layer),
from its AppConfig.ready():

    from programmes.sections import WORKSPACE, register_section

    def bookings_context(request, worker):
        return {"workspace_bookings": host_bookings(worker)}

    register_section(WORKSPACE, key="bookings", template="events/includes/workspace_bookings.html",
                     context=bookings_context, order=30)

The page calls `page_sections(page, request, owner)` (the owner is the
provider contact on /account/, the regional worker on /workspace/): each
section's context(request, owner) is merged into the page's context (prefix
your keys with the section's name, e.g. `workspace_bookings`: the page's own
keys win a clash) and its template included, in `order`, then by key. A template is a
fragment: a `<section aria-labelledby="...">` with an `<h2>`.
"""

from dataclasses import dataclass
from typing import Callable

ACCOUNT = "account"
WORKSPACE = "workspace"
PAGES = (ACCOUNT, WORKSPACE)


@dataclass(frozen=True)
class Section:
    key: str
    template: str
    context: Callable | None
    order: int


_sections: dict[str, dict[str, Section]] = {page: {} for page in PAGES}


def register_section(page, *, key, template, context=None, order=50):
    """Add (or replace, by key: ready() may run twice in tests) a section of `page`."""
    if page not in PAGES:
        raise ValueError(f"No page {page!r} takes sections; pages: {', '.join(PAGES)}")
    _sections[page][key] = Section(key=key, template=template, context=context, order=order)


def sections_of(page):
    return sorted(_sections[page].values(), key=lambda section: (section.order, section.key))


def page_sections(page, request, owner):
    """(the templates to include, in order; the merged context they need)."""
    templates, context = [], {}
    for section in sections_of(page):
        if section.context is not None:
            context.update(section.context(request, owner) or {})
        templates.append(section.template)
    return templates, context
