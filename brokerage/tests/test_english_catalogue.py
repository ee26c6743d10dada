"""The English catalogue (manage.py english_catalogue): the portal's strings translated to themselves."""

from pathlib import Path

import polib
from django.conf import settings
from django.core.management import call_command
from django.utils import translation

LOCALE = Path(settings.BASE_DIR) / "locale"


def test_english_catalogue_repeats_each_english_string_and_nothing_else():
    call_command("english_catalogue", stdout=open("/dev/null", "w"))

    english = polib.mofile(str(LOCALE / "en_GB" / "LC_MESSAGES" / "django.mo"))
    welsh = {(entry.msgctxt, entry.msgid) for entry in polib.pofile(str(LOCALE / "cy" / "LC_MESSAGES" / "django.po"))}
    assert len(english) > 1000
    assert {(entry.msgctxt, entry.msgid) for entry in english} <= welsh
    for entry in english:
        if entry.msgid_plural:
            assert entry.msgstr_plural == {0: entry.msgid, 1: entry.msgid_plural}
        else:
            assert entry.msgstr == entry.msgid


def test_english_pages_read_the_same_words_and_plurals_through_it():
    with translation.override("en-gb"):
        assert translation.gettext("Talk it through at a fair") == "Talk it through at a fair"
        assert [translation.ngettext("%(count)s offer", "%(count)s offers", n) % {"count": n} for n in (1, 2, 0)] == [
            "1 offer", "2 offers", "0 offers"
        ]
    with translation.override("cy"):
        assert translation.gettext("Talk it through at a fair") == "Trafodwch y cynnig mewn ffair"
