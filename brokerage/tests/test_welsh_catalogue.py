"""The Welsh catalogue is complete and current, as `makemigrations --check` is for models.

- makemessages, run on a copy of the code, finds no message the committed
  locale/cy/LC_MESSAGES/django.po lacks (a string marked and not gathered),
  and none it has that the code no longer marks;
- every entry is translated and none is fuzzy (a guess msgmerge made);
- msgfmt accepts it, placeholders included.

After marking strings: `make messages`, translate the new entries, commit the .po.
"""

import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
PO = ROOT / "locale" / "cy" / "LC_MESSAGES" / "django.po"
# What scripts/messages.sh leaves out, and what a copy of the code needs not carry.
NOT_COPIED = shutil.ignore_patterns(
    ".git", ".venv", "node_modules", "staticfiles", ".run", "tmp", "__pycache__", "*.mo", "db.sqlite3*",
    "test-results", "screenshots",
)


def message_ids(path):
    return {(entry.msgctxt, entry.msgid, entry.msgid_plural) for entry in polib.pofile(str(path)) if not entry.obsolete}


@pytest.fixture(scope="module")
def gettext_installed():
    if shutil.which("msgfmt") is None or shutil.which("xgettext") is None:
        pytest.fail("GNU gettext is missing: apt-get install gettext (scripts/messages.sh installs it)")


def test_makemessages_finds_nothing_new_or_changed(tmp_path, gettext_installed):
    copy = tmp_path / "code"
    shutil.copytree(ROOT, copy, ignore=NOT_COPIED, symlinks=True)
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "cy", "--add-location=file", "--no-wrap"],
        cwd=copy, check=True, capture_output=True,
    )
    gathered, committed = message_ids(copy / PO.relative_to(ROOT)), message_ids(PO)
    assert sorted(gathered - committed, key=str) == [], "marked but not in django.po: run `make messages`"
    assert sorted(committed - gathered, key=str) == [], "in django.po but no longer marked: run `make messages`"


def test_every_welsh_entry_is_translated_and_none_fuzzy():
    catalogue = polib.pofile(str(PO))
    assert [entry.msgid for entry in catalogue.untranslated_entries()] == []
    assert [entry.msgid for entry in catalogue.fuzzy_entries()] == []
    assert not catalogue.metadata_is_fuzzy
    assert catalogue.percent_translated() == 100


def test_welsh_plural_rule_is_djangos(gettext_installed):
    """Django keeps one catalogue per plural rule: ours must use the one its own Welsh strings use."""
    django_po = Path(__import__("django").__file__).parent / "conf" / "locale" / "cy" / "LC_MESSAGES" / "django.po"
    assert polib.pofile(str(PO)).metadata["Plural-Forms"] == polib.pofile(str(django_po)).metadata["Plural-Forms"]


def test_msgfmt_accepts_the_welsh_catalogue(tmp_path, gettext_installed):
    result = subprocess.run(
        ["msgfmt", "--check", "--statistics", "-o", str(tmp_path / "django.mo"), str(PO)],
        capture_output=True, text=True,
    )
    assert result.returncode == 0, result.stderr
    assert "untranslated" not in result.stderr and "fuzzy" not in result.stderr
