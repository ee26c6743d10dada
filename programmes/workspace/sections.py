"""Sections that higher apps add to a worker's /workspace/ page.

`programmes` is the lowest layer and imports nothing from events or brokerage,
yet the workspace shows their enquiries and surgery bookings. So the higher
app registers a section here, from its AppConfig.ready():

    from programmes.workspace.sections import register_workspace_section

    def bookings_context(request, worker):
        return {"workspace_bookings": upcoming_bookings_for_host(worker)}

    register_workspace_section(
        key="bookings",
        template="programmes/workspace_bookings.html",
        context=bookings_context,
        order=30,
    )

The workspace view calls each section's `context(request, worker)`, merges the
returned dict into the page's context (prefix your keys, e.g.
`workspace_bookings`, to avoid clashes) and includes the section's template
in `order` (offers are at 10, enquiries at 20, bookings at 30). The template is
a fragment: a `<section class="ws-section" aria-labelledby="...">` with an
`<h2>`, like `templates/programmes/workspace_enquiries.html`.
"""

from dataclasses import dataclass
from typing import Callable


@dataclass(frozen=True)
class WorkspaceSection:
    key: str
    template: str
    context: Callable
    order: int = 50


_sections: dict[str, WorkspaceSection] = {}


def register_workspace_section(*, key, template, context, order=50):
    """Add (or replace, by key: ready() may run twice in tests) a workspace section."""
    _sections[key] = WorkspaceSection(key=key, template=template, context=context, order=order)


def workspace_sections():
    return sorted(_sections.values(), key=lambda s: (s.order, s.key))


def workspace_sections_context(request, worker):
    """The templates to include, in order, and the merged context they need."""
    templates, context = [], {}
    for section in workspace_sections():
        context.update(section.context(request, worker) or {})
        templates.append(section.template)
    return templates, context
