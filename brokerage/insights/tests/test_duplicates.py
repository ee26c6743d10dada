"""The duplicate finder on SQLite (Python trigrams) and PostgreSQL (pg_trgm)."""

import csv
import io

import pytest
from django.db import connection
from django.urls import reverse

from brokerage.insights.choices import DuplicateDecision
from brokerage.insights.duplicates import duplicate_candidates, similarity, trigrams
from brokerage.insights.models import DuplicateReview
from brokerage.insights.services import duplicate_review_set
from programmes.choices import OfferStatus
from tests_support import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def offers():
    maths, leaders = factories.ThemeFactory(name="Maths"), factories.ThemeFactory(name="Leadership")
    teachers, governors = factories.AudienceFactory(name="Teachers"), factories.AudienceFactory(name="Governors")
    region = factories.RegionFactory()
    one, two, three = factories.ProgrammeFactory(), factories.ProgrammeFactory(), factories.ProgrammeFactory()
    made = {
        "fractions": factories.OfferFactory(
            programme=one, title="Teaching fractions with confidence",
            summary="Practical workshop for teachers on teaching fractions and decimals.",
            themes=[maths], audiences=[teachers], regions=[region],
        ),
        "fractions_twin": factories.OfferFactory(
            programme=two, title="Teaching fractions confidently",
            summary="A practical workshop helping teachers teach fractions and decimals.",
            themes=[maths], audiences=[teachers], is_national=True,
        ),
        "governance": factories.OfferFactory(
            programme=three, title="Governing body finance essentials",
            summary="Budget scrutiny for new governors.",
            themes=[maths, leaders], audiences=[teachers, governors], regions=[region],
        ),
        # Same programme as the first: never a cross-programme duplicate.
        "fractions_same_programme": factories.OfferFactory(
            programme=one, title="Teaching fractions with confidence online",
            summary="Practical workshop for teachers on teaching fractions and decimals, online.",
            themes=[maths], audiences=[teachers], regions=[region],
        ),
        # Alike, but for another audience: not the same thing.
        "fractions_governors": factories.OfferFactory(
            programme=three, title="Teaching fractions with confidence",
            summary="Practical workshop for teachers on teaching fractions and decimals.",
            themes=[maths], audiences=[governors], regions=[region],
        ),
        # Alike, but a draft: only published offers count.
        "fractions_draft": factories.OfferFactory(
            programme=three, title="Teaching fractions with confidence",
            summary="Practical workshop for teachers on teaching fractions and decimals.",
            themes=[maths], audiences=[teachers], regions=[region], status=OfferStatus.DRAFT,
        ),
    }
    return made


def named(found, offers):
    by_pk = {o.pk: name for name, o in offers.items()}
    return sorted(tuple(sorted((by_pk[p.offer_a.pk], by_pk[p.offer_b.pk]))) for p in found)


def test_trigrams_like_pg_trgm():
    assert trigrams("Cat") == {"  c", " ca", "cat", "at "}
    assert similarity("word", "word") == 1.0
    assert similarity("word", "") == 0.0


def test_finder_finds_planted_pair_and_not_dissimilar_or_same_programme(offers):
    found = duplicate_candidates()

    assert named(found, offers) == [("fractions", "fractions_twin"), ("fractions_same_programme", "fractions_twin")]
    best = found[0]
    assert {best.offer_a.pk, best.offer_b.pk} == {offers["fractions"].pk, offers["fractions_twin"].pk}
    assert 0.45 <= best.score <= 1


def test_not_a_duplicate_hides_the_pair(offers):
    duplicate_review_set(
        offer_one=offers["fractions_twin"], offer_two=offers["fractions"], decision=DuplicateDecision.NOT_DUPLICATE
    )

    assert named(duplicate_candidates(), offers) == [("fractions_same_programme", "fractions_twin")]


def test_compare_page_marks_not_a_duplicate(client, coordinator, offers):
    a, b = sorted([offers["fractions"].pk, offers["fractions_twin"].pk])
    client.force_login(coordinator)
    url = reverse("insights:duplicate_compare", args=[a, b])

    page = client.get(url).content.decode()
    response = client.post(url, {"decision": "not_duplicate", "note": ""})

    assert "Teaching fractions confidently" in page and "Teaching fractions with confidence" in page
    assert response.status_code == 302
    review = DuplicateReview.objects.get()
    assert (review.offer_a_id, review.offer_b_id, review.decision, review.decided_by) == (a, b, "not_duplicate", coordinator)
    listing = client.get(reverse("insights:duplicates")).content.decode()
    assert listing.count(f"/insights/duplicates/{a}/{b}/") == 1  # only in "marked as not duplicates"


def test_compare_page_coordinate_without_note_explains_and_keeps_choice(client, coordinator, offers):
    a, b = sorted([offers["fractions"].pk, offers["fractions_twin"].pk])
    client.force_login(coordinator)

    response = client.post(reverse("insights:duplicate_compare", args=[a, b]), {"decision": "coordinate", "note": " "})

    page = response.content.decode()
    assert response.status_code == 200
    assert "Say what the two programmes" in page
    assert 'value="coordinate" checked' in page
    assert DuplicateReview.objects.count() == 0


def test_compare_page_reversed_or_missing_pair_404(client, coordinator, offers):
    a, b = sorted([offers["fractions"].pk, offers["fractions_twin"].pk])
    client.force_login(coordinator)

    assert client.get(reverse("insights:duplicate_compare", args=[b, a])).status_code == 404
    assert client.get(reverse("insights:duplicate_compare", args=[a, 999999])).status_code == 404


def test_to_coordinate_note_shown_to_both_programmes_workers_only(client, offers):
    first, twin = offers["fractions"], offers["fractions_twin"]
    duplicate_review_set(
        offer_one=first, offer_two=twin, decision=DuplicateDecision.COORDINATE, note="Agree one joint workshop."
    )

    def render(user):
        client.force_login(user)
        return client.get("/workspace/").content.decode()

    worker_one = factories.RegionalWorkerFactory(programmes=[first.programme])
    worker_two = factories.RegionalWorkerFactory(programmes=[twin.programme])
    outsider = factories.RegionalWorkerFactory(programmes=[offers["governance"].programme])

    assert "Agree one joint workshop." in render(worker_one.user)
    assert "Agree one joint workshop." in render(worker_two.user)
    assert "Agree one joint workshop." not in render(outsider.user)


def test_duplicates_csv(client, coordinator, offers):
    client.force_login(coordinator)

    response = client.get(reverse("insights:export", args=["duplicates"]))

    lines = response.content.decode().splitlines()
    assert lines[0].startswith("Similarity,Offer A,Programme A,Offer B")
    assert len(lines) == 3


def test_duplicates_csv_neutralises_formula_titles(client, coordinator):
    maths, teachers = factories.ThemeFactory(name="Maths"), factories.AudienceFactory(name="Teachers")
    for programme_name in ("@Programme", "Other programme"):
        factories.OfferFactory(
            programme=factories.ProgrammeFactory(plain_name=programme_name), title="@SUM(1+1) fractions workshop",
            themes=[maths], audiences=[teachers], is_national=True,
        )
    client.force_login(coordinator)

    response = client.get(reverse("insights:export", args=["duplicates"]))

    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert len(rows) == 2
    assert sorted([rows[1][1], rows[1][3]]) == ["'@SUM(1+1) fractions workshop"] * 2
    assert sorted([rows[1][2], rows[1][4]]) == ["'@Programme", "Other programme"]


@pytest.mark.postgres
def test_postgresql_uses_pg_trgm_with_the_same_measure(offers):
    with connection.cursor() as cursor:
        cursor.execute("SELECT extname FROM pg_extension WHERE extname = 'pg_trgm'")
        assert cursor.fetchone() == ("pg_trgm",)
        cursor.execute(
            "SELECT similarity(%s, %s)", ["Teaching fractions with confidence", "Teaching fractions confidently"]
        )
        in_database = cursor.fetchone()[0]

    assert in_database == pytest.approx(
        similarity("Teaching fractions with confidence", "Teaching fractions confidently"), abs=1e-6
    )
