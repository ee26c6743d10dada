"""The CSV import takes optional Welsh columns beside the English ones."""

import csv
import io

import pytest
from django.utils import translation

from programmes.models import Offer
from programmes.offer_import import COLUMNS, offer_import_apply, offer_import_preview
from programmes.tests.test_offer_import import row
from tests_support import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def vocab(db):
    return {
        "programme": factories.ProgrammeFactory(plain_name="Move On"),
        "theme": factories.ThemeFactory(name="Maths and numeracy", slug="maths"),
        "audience": factories.AudienceFactory(name="Teachers", slug="teachers"),
        "region": factories.RegionFactory(name="Devon", slug="devon"),
        "worker": factories.RegionalWorkerFactory(slug="alison-trelawny"),
    }


def csv_text(columns, *rows):
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns, extrasaction="ignore")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def test_import_writes_the_welsh_columns(vocab):
    vocab["worker"].programmes.add(vocab["programme"])
    text = csv_text(COLUMNS, row(
        title_cy="Hyfforddi mathemateg", summary_cy="Hyfforddi athrawon mathemateg.", description_cy="Pedwar ymweliad.",
    ))
    preview, written = offer_import_apply(programme=vocab["programme"], text=text)
    assert (preview.is_valid, written) == (True, 1)
    offer = Offer.objects.get()
    assert (offer.title_en_gb, offer.title_cy) == ("Maths coaching", "Hyfforddi mathemateg")
    assert (offer.summary_en_gb, offer.summary_cy) == ("Coaching for maths teachers.", "Hyfforddi athrawon mathemateg.")
    assert offer.description_cy == "Pedwar ymweliad."


def test_file_without_welsh_columns_keeps_the_welsh_text(vocab):
    vocab["worker"].programmes.add(vocab["programme"])
    offer = factories.OfferFactory(
        programme=vocab["programme"], slug="maths-coaching", title="Maths coaching", title_cy="Hyfforddi mathemateg",
        summary="Old summary.", contact=vocab["worker"],
    )
    english_only = [c for c in COLUMNS if not c.endswith("_cy")]
    preview, written = offer_import_apply(
        programme=vocab["programme"], text=csv_text(english_only, row(slug="maths-coaching", summary="New summary.")),
    )
    assert written == 1
    offer.refresh_from_db()
    assert (offer.summary_en_gb, offer.title_cy) == ("New summary.", "Hyfforddi mathemateg")


def test_a_changed_welsh_title_shows_in_the_preview(vocab):
    vocab["worker"].programmes.add(vocab["programme"])
    factories.OfferFactory(
        programme=vocab["programme"], slug="maths-coaching", title="Maths coaching", summary="Coaching for maths teachers.",
        description="",
        format="coaching", contact=vocab["worker"], themes=[vocab["theme"]], audiences=[vocab["audience"]],
        regions=[vocab["region"]], is_rolling=False, starts_on="2027-01-10", ends_on="2027-03-01",
    )
    text = csv_text(COLUMNS, row(slug="maths-coaching", title_cy="Hyfforddi mathemateg"))
    [changed] = offer_import_preview(programme=vocab["programme"], text=text).rows
    assert changed.changed_fields == ["title_cy"]


def test_too_long_welsh_summary_is_explained(vocab):
    text = csv_text(COLUMNS, row(summary_cy="a" * 401))
    [invalid] = offer_import_preview(programme=vocab["programme"], text=text).rows
    assert "summary_cy: Keep the summary to 400 characters: it has 401. Move the detail to the description." in invalid.errors


def test_import_from_the_welsh_admin_still_writes_english_into_english(vocab):
    vocab["worker"].programmes.add(vocab["programme"])
    with translation.override("cy"):
        offer_import_apply(programme=vocab["programme"], text=csv_text(COLUMNS, row(title_cy="Hyfforddi mathemateg")))
    offer = Offer.objects.get()
    assert (offer.title_en_gb, offer.title_cy) == ("Maths coaching", "Hyfforddi mathemateg")
