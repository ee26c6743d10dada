"""Django's makemessages, reading the Jinja2 templates (.jinja) too, in whatever way it is run.

The hot fragments (the offer card, the facet panel) are Jinja2 templates that
mark their words as ``{{ _("...") }}``, which Django's template reader
understands; by default makemessages reads only .html, .txt and .py. Kept here
rather than as a flag of scripts/messages.sh, so that the script, the test
that the Welsh catalogue is current (brokerage/tests/test_welsh_catalogue.py)
and a hand-run ``manage.py makemessages`` gather the same messages.
"""

from django.core.management.commands import makemessages

DEFAULT_EXTENSIONS = ["html", "txt", "py", "jinja"]


class Command(makemessages.Command):
    def handle(self, *args, **options):
        if not options.get("extensions") and options.get("domain", "django") == "django":
            options["extensions"] = DEFAULT_EXTENSIONS
        return super().handle(*args, **options)
