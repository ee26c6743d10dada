"""The coordinators' CSV import: preview first, then all rows or none."""

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from programmes.choices import OfferStatus
from programmes.models import Offer
from programmes.offer_import import COLUMNS, EXAMPLE_ROW, offer_import_apply, offer_import_preview
from tests_support import factories


@pytest.fixture
def vocab(db):
    return {
        "programme": factories.ProgrammeFactory(plain_name="Move On"),
        "theme": factories.ThemeFactory(name="Maths and numeracy", slug="maths"),
        "audience": factories.AudienceFactory(name="Teachers", slug="teachers"),
        "region": factories.RegionFactory(name="Devon", slug="devon"),
        "worker": factories.RegionalWorkerFactory(slug="alison-trelawny"),
    }


def row(**values):
    base = {
        "slug": "", "title": "Maths coaching", "summary": "Coaching for maths teachers.", "description": "",
        "themes": "maths", "audiences": "Teachers", "regions": "devon", "is_national": "no", "format": "coaching",
        "cost": "free", "price": "", "funding_note": "", "accredited": "no", "accreditation": "", "level": "",
        "starts_on": "2027-01-10", "ends_on": "2027-03-01", "is_rolling": "no", "contact": "alison-trelawny",
        "status": "published",
    }
    base.update(values)
    return base


def csv_text(*rows):
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS)
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


@pytest.mark.django_db
def test_offer_import_valid_file_previews_then_writes_new_and_changed(vocab):
    existing = factories.OfferFactory(
        programme=vocab["programme"], slug="numeracy-network", title="Numeracy network", summary="Old summary.", description="",
        format="network", contact=vocab["worker"], themes=[vocab["theme"]], audiences=[vocab["audience"]],
        regions=[vocab["region"]], is_rolling=False, starts_on=None,
    )
    text = csv_text(
        row(title="Maths coaching"),
        row(slug="numeracy-network", title="Numeracy network", summary="New summary.", format="network",
            starts_on="", ends_on=""),
    )

    preview = offer_import_preview(programme=vocab["programme"], text=text)
    counts_before_apply = Offer.objects.count()
    _, written = offer_import_apply(programme=vocab["programme"], text=text)

    assert [r.kind for r in preview.rows] == ["new", "changed"]
    assert preview.rows[1].changed_fields == ["summary"]
    assert counts_before_apply == 1
    assert written == 2
    created = Offer.objects.get(slug="maths-coaching")
    existing.refresh_from_db()
    assert (created.programme, created.status, created.contact, list(created.themes.all())) == (
        vocab["programme"], OfferStatus.PUBLISHED, vocab["worker"], [vocab["theme"]]
    )
    assert created.published_at is not None
    assert existing.summary == "New summary."
    assert existing.history.latest().history_change_reason == "CSV import"


@pytest.mark.django_db
def test_offer_import_file_with_bad_rows_writes_nothing_and_explains_each_row(vocab):
    text = csv_text(
        row(title="Good row"),
        row(title="Paid no price", cost="paid"),
        row(title="Backwards dates", starts_on="2027-05-01", ends_on="2027-04-01"),
        row(title="Unknown theme", themes="astrology"),
        row(title="No contact", contact=""),
        row(title="Too long", summary="x" * 401),
    )

    preview, written = offer_import_apply(programme=vocab["programme"], text=text)

    assert written == 0
    assert Offer.objects.count() == 0
    assert [r.kind for r in preview.rows] == ["new", "invalid", "invalid", "invalid", "invalid", "invalid"]
    assert preview.rows[1].errors == [
        "price: A paid offer needs a price per person. Enter it, or choose Free or Funded."
    ]
    assert preview.rows[2].errors == ["ends_on: The end date must be on or after the start date (1 May 2027)."]
    assert preview.rows[3].errors == ["themes: not known: astrology."]
    assert preview.rows[4].errors[0].startswith("contact: A published offer must name a person")
    assert preview.rows[5].errors[0].startswith("summary: Keep the summary to 400 characters: it has 401.")
    assert [r.line for r in preview.rows] == [2, 3, 4, 5, 6, 7]


@pytest.mark.django_db
def test_offer_import_failure_mid_write_leaves_nothing_half_imported(vocab, monkeypatch):
    text = csv_text(row(title="First"), row(title="Second"), row(title="Third"))
    original_save = Offer.save
    calls = {"n": 0}

    def failing_save(self, *args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 3:
            raise RuntimeError("disk full")
        return original_save(self, *args, **kwargs)

    monkeypatch.setattr(Offer, "save", failing_save)
    with pytest.raises(RuntimeError):
        offer_import_apply(programme=vocab["programme"], text=text)

    assert Offer.objects.count() == 0


@pytest.mark.django_db
def test_offer_import_slug_of_another_programme_is_invalid(vocab):
    factories.OfferFactory(slug="taken")

    preview = offer_import_preview(programme=vocab["programme"], text=csv_text(row(slug="taken")))

    assert preview.rows[0].errors == ["slug: “taken” belongs to another programme's offer; choose another slug."]


@pytest.mark.django_db
def test_offer_import_missing_columns_is_a_file_error(vocab):
    preview = offer_import_preview(programme=vocab["programme"], text="title,summary\nA,B\n")

    assert preview.file_errors == ["The first line must name the columns; missing: audiences, format, themes."]
    assert not preview.is_valid


@pytest.mark.django_db
def test_offer_import_admin_upload_preview_confirm(client, coordinator, vocab):
    client.force_login(coordinator)
    url = reverse("admin:programmes_programme_import_offers", args=[vocab["programme"].pk])
    upload = SimpleUploadedFile("offers.csv", csv_text(row(title="Maths coaching")).encode(), "text/csv")

    preview_page = client.post(url, {"file": upload})

    html = preview_page.content.decode()
    assert preview_page.status_code == 200
    assert "<strong>1</strong> new" in html
    assert Offer.objects.count() == 0
    payload = preview_page.context["payload"]

    done = client.post(url, {"payload": payload, "confirm": "Import"})

    assert done.status_code == 302
    assert list(Offer.objects.values_list("title", flat=True)) == ["Maths coaching"]


@pytest.mark.django_db
def test_offer_import_admin_bad_file_shows_row_errors_and_no_confirm(client, coordinator, vocab):
    client.force_login(coordinator)
    url = reverse("admin:programmes_programme_import_offers", args=[vocab["programme"].pk])
    upload = SimpleUploadedFile("offers.csv", csv_text(row(), row(title="Bad", cost="paid")).encode(), "text/csv")

    page = client.post(url, {"file": upload})

    html = page.content.decode()
    assert "A paid offer needs a price per person" in html
    assert "Nothing has been imported" in html
    assert 'name="confirm"' not in html
    assert Offer.objects.count() == 0


@pytest.mark.django_db
def test_offer_import_admin_tampered_payload_refused(client, coordinator, vocab):
    client.force_login(coordinator)
    url = reverse("admin:programmes_programme_import_offers", args=[vocab["programme"].pk])

    response = client.post(url, {"payload": "forged", "confirm": "Import"})

    assert response.status_code == 302
    assert Offer.objects.count() == 0


@pytest.mark.django_db
def test_offer_import_admin_refused_to_provider_contact(client, provider_contact, vocab):
    client.force_login(provider_contact.user)

    response = client.get(reverse("admin:programmes_programme_import_offers", args=[vocab["programme"].pk]))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


@pytest.mark.django_db
def test_offer_import_example_download_is_the_columns_and_one_row(client, coordinator):
    client.force_login(coordinator)

    response = client.get(reverse("admin:programmes_programme_import_offers_example"))

    assert response["Content-Disposition"] == 'attachment; filename="offers-example.csv"'
    assert list(csv.reader(io.StringIO(response.content.decode()))) == [COLUMNS, EXAMPLE_ROW]


@pytest.mark.django_db
def test_offer_import_file_with_only_carriage_returns_is_read_line_by_line(vocab):
    text = csv_text(row(title="First"), row(title="Second")).replace("\r\n", "\r")

    preview = offer_import_preview(programme=vocab["programme"], text=text)

    assert preview.file_errors == []
    assert [(r.line, r.title, r.kind) for r in preview.rows] == [(2, "First", "new"), (3, "Second", "new")]


@pytest.mark.django_db
def test_offer_import_cell_longer_than_the_csv_limit_is_a_file_error(vocab):
    text = csv_text(row(description="x" * 200_000))

    preview, written = offer_import_apply(programme=vocab["programme"], text=text)

    assert preview.file_errors == [
        "A cell is longer than 131,072 characters, which no offer field holds. Check the file."
    ]
    assert written == 0
    assert Offer.objects.count() == 0


@pytest.mark.django_db
def test_offer_import_cells_longer_than_their_fields_are_row_errors(vocab):
    text = csv_text(
        row(title="t" * 201),
        row(title="Long description", description="d" * 10_001),
        row(title="Long slug", slug="s" * 221),
    )

    preview, written = offer_import_apply(programme=vocab["programme"], text=text)

    assert [r.errors for r in preview.rows] == [
        ["title: at most 200 characters (it has 201)."],
        ["description: at most 10000 characters (it has 10001)."],
        ["slug: at most 220 characters (it has 221)."],
    ]
    assert written == 0
    assert Offer.objects.count() == 0


@pytest.mark.django_db
def test_offer_import_nul_in_a_cell_is_a_row_error_and_nothing_is_written(vocab):
    text = csv_text(row(title="Maths\x00 coaching", summary="Coaching\x00."), row(title="Clean row"))

    preview, written = offer_import_apply(programme=vocab["programme"], text=text)

    assert preview.rows[0].errors == [
        "title, summary: a NUL character (an invisible control character); remove it."
    ]
    assert preview.rows[1].kind == "new"
    assert written == 0
    assert Offer.objects.count() == 0


@pytest.mark.django_db
def test_offer_import_admin_upload_with_a_huge_cell_explains_and_writes_nothing(client, coordinator, vocab):
    client.force_login(coordinator)
    url = reverse("admin:programmes_programme_import_offers", args=[vocab["programme"].pk])
    upload = SimpleUploadedFile("offers.csv", csv_text(row(summary="x" * 200_000)).encode(), "text/csv")

    page = client.post(url, {"file": upload})

    assert page.status_code == 200
    assert "A cell is longer than 131,072 characters" in page.content.decode()
    assert 'name="confirm"' not in page.content.decode()
    assert Offer.objects.count() == 0


@pytest.mark.django_db
@pytest.mark.parametrize("cell, expected", [
    ("", []), ("any", []), ("Any", []), ("school", ["school"]),
    ("Colleges; work_based", ["college", "work_based"]), ("voluntary,school", ["school", "voluntary"]),
])
def test_offer_import_reads_who_can_take_it_up(vocab, cell, expected):
    text = csv_text(row(open_to=cell, open_to_condition="Funded for <staff> in schools"))
    preview, written = offer_import_apply(programme=vocab["programme"], text=text)
    assert written == 1, preview.rows[0].errors
    offer = Offer.objects.get()
    assert sorted(offer.open_to) == sorted(expected)
    assert offer.open_to_condition == "Funded for <staff> in schools"


@pytest.mark.django_db
@pytest.mark.parametrize("cell", ["universities", "<script>alert(1)</script>", "school;any;x" * 50])
def test_offer_import_refuses_unknown_kinds(vocab, cell):
    preview = offer_import_preview(programme=vocab["programme"], text=csv_text(row(open_to=cell)))
    assert not preview.is_valid
    assert any(error.startswith("open_to:") for error in preview.rows[0].errors)


@pytest.mark.django_db
def test_offer_admin_edits_who_can_take_it_up_as_checkboxes(client, coordinator, vocab):
    offer = factories.OfferFactory(programme=vocab["programme"], open_to=["school"], open_to_condition="Maintained <only>")
    client.force_login(coordinator)

    page = client.get(reverse("admin:programmes_offer_change", args=[offer.pk])).content.decode()

    assert "Who can take it up" in page
    assert 'type="checkbox" name="open_to" value="school"' in page and "checked" in page.split('value="school"')[1][:40]
    assert 'value="Maintained &lt;only&gt;"' in page


@pytest.mark.django_db
@pytest.mark.parametrize("cell, expected", [
    ("", "en"), ("en", "en"), ("English", "en"), ("Saesneg", "en"),
    ("cy", "cy"), ("Welsh", "cy"), ("cymraeg", "cy"), ("Welsh-medium", "cy"), ("Cyfrwng Cymraeg", "cy"),
    ("bilingual", "bilingual"), ("Dwyieithog", "bilingual"), ("Welsh and English", "bilingual"),
])
def test_offer_import_reads_the_language_of_delivery(vocab, cell, expected):
    preview, written = offer_import_apply(programme=vocab["programme"], text=csv_text(row(delivery_language=cell)))
    assert written == 1, preview.rows[0].errors
    assert Offer.objects.get().delivery_language == expected


@pytest.mark.django_db
def test_offer_import_changes_an_offers_language_and_previews_it_as_a_change(vocab):
    factories.OfferFactory(
        programme=vocab["programme"], slug="maths-coaching", title="Maths coaching", delivery_language="en",
    )
    text = csv_text(row(slug="maths-coaching", delivery_language="Welsh"))

    preview = offer_import_preview(programme=vocab["programme"], text=text)
    assert "delivery_language" in preview.rows[0].changed_fields
    offer_import_apply(programme=vocab["programme"], text=text)
    assert Offer.objects.get(slug="maths-coaching").delivery_language == "cy"


@pytest.mark.django_db
@pytest.mark.parametrize("cell", ["Klingon", "<script>alert(1)</script>", "cy;en", "x" * 5000])
def test_offer_import_refuses_an_unknown_language(vocab, cell):
    preview = offer_import_preview(programme=vocab["programme"], text=csv_text(row(delivery_language=cell)))
    assert not preview.is_valid
    errors = [error for error in preview.rows[0].errors if error.startswith("delivery_language:")]
    assert len(errors) == 1 and len(errors[0]) < 200  # the cell is quoted shortened, never whole
    assert Offer.objects.count() == 0


@pytest.mark.django_db
def test_offer_import_file_without_the_newer_columns_keeps_those_fields(vocab):
    # A file exported before "who can take it up" and the language of delivery were columns.
    offer = factories.OfferFactory(
        programme=vocab["programme"], slug="maths-coaching", title="Maths coaching", summary="Old summary.",
        contact=vocab["worker"], open_to=["school"], open_to_condition="Maintained schools only",
        delivery_language="cy",
    )
    older = [name for name in COLUMNS if name not in ("open_to", "open_to_condition", "delivery_language")]
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=older, extrasaction="ignore")
    writer.writeheader()
    writer.writerow(row(slug="maths-coaching", summary="New summary."))
    writer.writerow(row(slug="maths-walks", title="Maths walks"))

    preview, written = offer_import_apply(programme=vocab["programme"], text=out.getvalue())

    assert written == 2, [r.errors for r in preview.rows]
    assert "summary" in preview.rows[0].changed_fields
    assert not {"open_to", "open_to_condition", "delivery_language"} & set(preview.rows[0].changed_fields)
    offer.refresh_from_db()
    assert (offer.summary, offer.open_to, offer.open_to_condition, offer.delivery_language) == (
        "New summary.", ["school"], "Maintained schools only", "cy"
    )
    new = Offer.objects.get(slug="maths-walks")
    assert (new.open_to, new.open_to_condition, new.delivery_language) == ([], "", "en")


@pytest.mark.django_db
def test_offer_import_writes_the_welsh_condition_and_leaves_it_when_the_column_is_missing(vocab):
    offer = factories.OfferFactory(
        programme=vocab["programme"], slug="maths-coaching", title="Maths coaching", contact=vocab["worker"],
        open_to=["school"], open_to_condition="Maintained schools only",
    )
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS, extrasaction="ignore")
    writer.writeheader()
    writer.writerow(row(slug="maths-coaching", open_to="school", open_to_condition="Maintained schools only",
                        open_to_condition_cy="Ysgolion a gynhelir yn unig"))
    preview, written = offer_import_apply(programme=vocab["programme"], text=out.getvalue())
    assert written == 1, [r.errors for r in preview.rows]
    offer.refresh_from_db()
    assert (offer.open_to_condition_en_gb, offer.open_to_condition_cy) == (
        "Maintained schools only", "Ysgolion a gynhelir yn unig"
    )

    without = [name for name in COLUMNS if name != "open_to_condition_cy"]
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=without, extrasaction="ignore")
    writer.writeheader()
    writer.writerow(row(slug="maths-coaching", summary="New summary.", open_to="school",
                        open_to_condition="Maintained schools only"))
    preview, written = offer_import_apply(programme=vocab["programme"], text=out.getvalue())
    assert written == 1, [r.errors for r in preview.rows]
    offer.refresh_from_db()
    assert offer.open_to_condition_cy == "Ysgolion a gynhelir yn unig"
