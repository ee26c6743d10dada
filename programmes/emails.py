"""Email subjects and headers: text as it was typed, on one line.

A subject is not HTML, so it is rendered without escaping (an enquiry from
"O'Brien & Sons" keeps its apostrophe and ampersand); and no header may
carry a line break, so every run of whitespace, CR and LF included, becomes
one space. Every email subject is rendered here. It lives in `programmes`,
the lowest app, so that every app may import it.
"""

from django.template import Context, Engine


def header_text(value):
    """One header line: whitespace runs (line breaks included) become single spaces."""
    return " ".join(str(value).split())


def render_subject(template_name, context):
    """Render a subject template as plain text (autoescape off) on one line."""
    template = Engine.get_default().get_template(template_name)
    return header_text(template.render(Context(context, autoescape=False)))
