"""Build locale/en_GB/LC_MESSAGES/django.mo: each of the portal's English strings, translated to itself.

The portal's strings are written in English, so an English page has no
catalogue of them: every lookup misses, and Django walks its chain of fallback
catalogues (seven on these pages) before giving the text back, about three
times the cost of a hit; a catalogue page asks about a hundred times. With
this catalogue each lookup stops at the first one (benchmarks/README.md).

It only repeats what English pages already show: a string that Django's own
English catalogues translate (its British spellings of admin strings the
portal also translates into Welsh) is left out. Built from the Welsh
catalogue's message ids by scripts/messages.sh, never committed.
"""

from pathlib import Path

import polib
from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import translation

ENGLISH = "en-gb"


def _shown_in_english(entry):
    """The English text Django gives for this entry without our catalogue: its msgid, or its own translation."""
    with translation.override(ENGLISH):
        if entry.msgid_plural:
            if entry.msgctxt:
                return translation.npgettext(entry.msgctxt, entry.msgid, entry.msgid_plural, 1)
            return translation.ngettext(entry.msgid, entry.msgid_plural, 1)
        if entry.msgctxt:
            return translation.pgettext(entry.msgctxt, entry.msgid)
        return translation.gettext(entry.msgid)


class Command(BaseCommand):
    help = "Build the English catalogue that makes English lookups stop at the first catalogue."

    def handle(self, **options):
        base = Path(settings.BASE_DIR) / "locale"
        target = base / "en_GB" / "LC_MESSAGES" / "django.mo"
        # Gone before the first lookup of this process, so Django's own English is what is compared.
        target.unlink(missing_ok=True)
        english = polib.POFile()
        english.metadata = {
            "Content-Type": "text/plain; charset=UTF-8",
            "Language": "en_GB",
            "Plural-Forms": "nplurals=2; plural=(n != 1);",
        }
        for entry in polib.pofile(str(base / "cy" / "LC_MESSAGES" / "django.po")):
            if entry.obsolete or _shown_in_english(entry) != entry.msgid:
                continue
            same = polib.POEntry(msgid=entry.msgid, msgctxt=entry.msgctxt, msgid_plural=entry.msgid_plural)
            if entry.msgid_plural:
                same.msgstr_plural = {0: entry.msgid, 1: entry.msgid_plural}
            else:
                same.msgstr = entry.msgid
            english.append(same)
        target.parent.mkdir(parents=True, exist_ok=True)
        english.save_as_mofile(str(target))
        self.stdout.write(f"{len(english)} English strings in {target.relative_to(settings.BASE_DIR)}")
