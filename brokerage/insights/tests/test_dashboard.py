"""/insights/: supply against demand by hand-computed figures, zero-result searches, CSV, access."""

import csv
import datetime as dt
import io
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from brokerage.insights.choices import SignalKind
from brokerage.roles import coordinators_group_sync
from brokerage.insights.selectors import Period, gaps, supply_demand_rows, zero_result_searches
from programmes.choices import OfferStatus
from tests_support import factories

pytestmark = pytest.mark.django_db

URL = "/insights/"


@pytest.fixture
def world():
    """Two regions, two themes, offers and signals small enough to count by hand."""
    south, wales = factories.RegionFactory(slug="south-west", name="South West"), factories.RegionFactory(
        slug="wales", name="Wales"
    )
    maths = factories.ThemeFactory(slug="maths", name="Maths", position=1)
    esol = factories.ThemeFactory(slug="esol", name="ESOL", position=2)
    teachers = factories.AudienceFactory(slug="teachers", name="Teachers")
    # Supply in the South West: 3 maths offers there, 1 national ESOL offer.
    for _ in range(3):
        factories.OfferFactory(themes=[maths], audiences=[teachers], regions=[south])
    factories.OfferFactory(themes=[esol], audiences=[teachers], is_national=True)
    # Not supply in the South West: a draft there, a maths offer in Wales.
    factories.OfferFactory(themes=[maths], regions=[south], status=OfferStatus.DRAFT)
    factories.OfferFactory(themes=[maths], regions=[wales])

    yesterday = timezone.now() - dt.timedelta(days=1)

    def signals(n, kind, region, theme=None, audience=None, at=yesterday, **extra):
        for _ in range(n):
            factories.SignalFactory(kind=kind, region=region, theme=theme, audience=audience, created_at=at, **extra)

    # South West, maths: 4 searches (1 found nothing), 2 views, 1 enquiry.
    signals(3, SignalKind.SEARCH, south, maths, result_count=5, words="fractions")
    signals(1, SignalKind.SEARCH, south, maths, result_count=0, words="times tables")
    signals(2, SignalKind.OFFER_VIEW, south, maths, teachers)
    signals(1, SignalKind.ENQUIRY, south, maths)
    # South West, ESOL: 6 views, 1 booking, 2 bulletin clicks (not demand).
    signals(6, SignalKind.OFFER_VIEW, south, esol)
    signals(1, SignalKind.BOOKING, south, esol)
    signals(2, SignalKind.BULLETIN_CLICK, south, esol)
    # Wales: 5 maths plan additions; 2 zero-result searches for "welsh medium".
    signals(5, SignalKind.PLAN_ADD, wales, maths)
    signals(2, SignalKind.SEARCH, wales, None, result_count=0, words="welsh medium")
    # Too old for a 90-day period.
    signals(9, SignalKind.OFFER_VIEW, south, esol, at=timezone.now() - dt.timedelta(days=120))
    return {"south": south, "wales": wales, "maths": maths, "esol": esol, "teachers": teachers}


def period(region=None, days=90):
    today = timezone.localdate()
    return Period(start=today - dt.timedelta(days=days - 1), end=today, region=region)


def as_table(rows):
    return {
        r.slug: (r.offers, r.searches, r.views, r.enquiries, r.plan_additions, r.bookings, r.demand, r.bulletin_clicks)
        for r in rows
    }


def test_supply_demand_one_region_matches_hand_count(world):
    rows = supply_demand_rows(period(world["south"]), "theme")

    assert as_table(rows) == {
        "maths": (3, 4, 2, 1, 0, 0, 7, 0),
        "esol": (1, 0, 6, 0, 0, 1, 7, 2),
    }


def test_supply_demand_all_regions_matches_hand_count(world):
    rows = supply_demand_rows(period(), "theme")

    assert as_table(rows) == {
        "maths": (4, 4, 2, 1, 5, 0, 12, 0),
        "esol": (1, 0, 6, 0, 0, 1, 7, 2),
    }


def test_supply_demand_by_audience(world):
    rows = supply_demand_rows(period(world["south"]), "audience")

    assert as_table(rows) == {"teachers": (4, 0, 2, 0, 0, 0, 2, 0)}


def test_gaps_demand_per_offer_above_one_and_a_half_times_average(world):
    rows = supply_demand_rows(period(world["south"]), "theme")

    # Average 14 signals / 4 offers = 3.5; ESOL 7 per offer >= 5.25; maths 2.33 is not.
    assert [r.slug for r in gaps(rows)] == ["esol"]


def test_gaps_theme_without_offers_comes_first():
    rows = [
        type("Row", (), {"name": n, "slug": n, "offers": o, "demand": d, "demand_per_offer": d / o if o else None})
        for n, o, d in [("a", 1, 20), ("b", 0, 6), ("c", 10, 10), ("d", 0, 4)]
    ]

    assert [r.slug for r in gaps(rows)] == ["b", "a"]


def test_zero_result_searches_listed_with_words_per_region(world):
    assert [(r["words"], r["searches"]) for r in zero_result_searches(period())] == [
        ("welsh medium", 2),
        ("times tables", 1),
    ]
    assert [r["words"] for r in zero_result_searches(period(world["south"]))] == ["times tables"]


def test_dashboard_coordinator_sees_figures_for_chosen_region(client, coordinator, world, django_assert_max_num_queries):
    client.force_login(coordinator)

    with django_assert_max_num_queries(14):
        response = client.get(URL, {"region": "wales"})

    assert response.status_code == 200
    page = response.content.decode()
    assert "in Wales" in page
    assert "welsh medium" in page and "times tables" not in page
    assert response.context["totals"]["plan_additions"] == 5
    assert [r.slug for r in response.context["gaps"]] == ["maths"]
    assert 'style="' not in page  # the CSP allows no inline style


def test_dashboard_query_count_does_not_grow_with_themes(client, coordinator, world, django_assert_max_num_queries):
    client.force_login(coordinator)
    for n in range(5):
        theme = factories.ThemeFactory()
        factories.OfferFactory(themes=[theme])
        factories.SignalFactory(theme=theme)

    with django_assert_max_num_queries(14):
        response = client.get(URL)

    assert len(response.context["theme_rows"]) == 7


def test_dashboard_bad_dates_explained_and_kept(client, coordinator, world):
    client.force_login(coordinator)

    response = client.get(URL, {"start": "2026-05-01", "end": "2026-04-01", "region": "wales"})

    page = response.content.decode()
    assert "The end date must be on or after the start date." in page
    assert 'value="2026-05-01"' in page
    assert response.context["period"].region == world["wales"]


def test_dashboard_start_before_retention_refused(client, coordinator):
    client.force_login(coordinator)

    response = client.get(URL, {"start": "2001-01-01"})

    assert "Signals are kept for 13 months" in response.content.decode()


def read_csv(response):
    assert response["Content-Type"].startswith("text/csv")
    return list(csv.reader(io.StringIO(response.content.decode())))


def test_export_themes_csv_matches_table(client, coordinator, world):
    client.force_login(coordinator)

    response = client.get(reverse("insights:export", args=["themes"]), {"region": "south-west"})

    assert read_csv(response) == [
        ["Theme", "Published offers", "Searches", "Offer views", "Enquiries", "Plan additions", "Surgery bookings",
         "Demand", "Demand per offer", "Bulletin clicks"],
        ["Maths", "3", "4", "2", "1", "0", "0", "7", "2.33", "0"],
        ["ESOL", "1", "0", "6", "0", "0", "1", "7", "7.00", "2"],
    ]
    assert "south-west" in response["Content-Disposition"]


def test_export_zero_results_and_gaps_csv(client, coordinator, world):
    client.force_login(coordinator)

    zero = read_csv(client.get(reverse("insights:export", args=["zero-results"])))
    gap = read_csv(client.get(reverse("insights:export", args=["gaps"]), {"region": "south-west"}))

    assert [row[:2] for row in zero] == [["Search words", "Searches"], ["welsh medium", "2"], ["times tables", "1"]]
    assert [row[0] for row in gap] == ["Theme", "ESOL"]


def test_export_unknown_table_404(client, coordinator):
    client.force_login(coordinator)

    assert client.get("/insights/export/users.csv").status_code == 404


PAGES = [URL, "/insights/duplicates/", "/insights/evaluations/", "/insights/evaluations/summary/",
         "/insights/export/themes.csv"]


@pytest.mark.parametrize("url", PAGES)
def test_insights_pages_coordinator_allowed(client, coordinator, url):
    client.force_login(coordinator)

    response = client.get(url)

    assert response.status_code == 200


@pytest.mark.parametrize("url", PAGES)
@pytest.mark.parametrize("persona", ["worker", "provider", "staff_not_coordinator"])
def test_insights_pages_others_get_404(client, url, persona):
    user = {
        "worker": lambda: factories.RegionalWorkerFactory().user,
        "provider": lambda: factories.ProviderContactFactory().user,
        "staff_not_coordinator": lambda: factories.UserFactory(is_staff=True),
    }[persona]()
    client.force_login(user)

    response = client.get(url)

    assert response.status_code == 404


@pytest.mark.parametrize("url", PAGES)
def test_insights_pages_anonymous_sent_to_sign_in(client, url):
    response = client.get(url)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login") + "?next=/insights/")


def _shown_totals(response):
    return dict(re.findall(r'data-total="(\w+)">([\d,]+)<', response.content.decode()))


def test_dashboard_figures_cached_per_region_and_period(client, coordinator, world, django_assert_max_num_queries):
    client.force_login(coordinator)
    first = client.get(URL, {"region": "south-west"})
    factories.SignalFactory(kind=SignalKind.OFFER_VIEW, region=world["south"], theme=world["maths"])

    # A repeated query reads the cached body: three queries (the session, the user
    # with their profiles, the coordinator check), no aggregate.
    with django_assert_max_num_queries(3):
        again = client.get(URL, {"region": "south-west"})
    other = client.get(URL, {"region": "wales"})

    assert _shown_totals(first)["views"]
    assert _shown_totals(again) == _shown_totals(first)
    assert other.context["totals"]["plan_additions"] == 5
    assert _shown_totals(other)["plan_additions"] == "5"


def test_dashboard_cached_body_served_to_coordinators_only(client, coordinator, worker, provider_contact, world):
    client.force_login(coordinator)
    first = client.get(URL, {"region": "wales"})
    second = factories.UserFactory(username="second@example.org", is_staff=True, first_name="Second")
    second.groups.add(coordinators_group_sync())

    client.force_login(second)
    again = client.get(URL, {"region": "wales"})
    # The cache holds the body only: the navigation is the person's own.
    assert again.status_code == 200
    assert _shown_totals(again) == _shown_totals(first)
    assert "Sign out <span class=\"visually-hidden\">Second" in again.content.decode()

    # The permission is checked before the cache is read.
    for other in (worker.user, provider_contact.user):
        client.force_login(other)
        assert client.get(URL, {"region": "wales"}).status_code == 404
    client.logout()
    assert client.get(URL, {"region": "wales"}).status_code == 302


def test_leaving_the_coordinators_group_closes_insights_at_once(client, coordinator, world):
    client.force_login(coordinator)
    assert client.get(URL, {"region": "wales"}).status_code == 200

    coordinator.groups.clear()

    assert client.get(URL, {"region": "wales"}).status_code == 404


def test_supply_follows_the_catalogue(world):
    period = Period(start=timezone.localdate() - dt.timedelta(days=30), end=timezone.localdate(), region=world["south"])
    before = {r.slug: r.offers for r in supply_demand_rows(period, "theme")}

    factories.OfferFactory(themes=[world["maths"]], regions=[world["south"]])
    withdrawn = factories.OfferFactory(themes=[world["esol"]], is_national=True)
    withdrawn.status = OfferStatus.ARCHIVED
    withdrawn.save()

    after = {r.slug: r.offers for r in supply_demand_rows(period, "theme")}
    assert after["maths"] == before["maths"] + 1
    assert after["esol"] == before["esol"]


@pytest.mark.parametrize("end", ["9999-12-31", "2026-11-19"])
def test_dashboard_end_after_today_is_a_form_error_and_the_default_period_shown(client, coordinator, end):
    client.force_login(coordinator)

    response = client.get(URL, {"end": end})

    assert response.status_code == 200
    assert response.context["form"].errors["end"] == [
        "Choose today or an earlier date: there are no figures from the future."
    ]
    assert response.context["period"].end == dt.date(2026, 11, 18)


def test_dashboard_end_at_the_start_of_the_calendar_is_a_form_error(client, coordinator):
    client.force_login(coordinator)

    response = client.get(URL, {"end": "0001-01-01"})

    assert response.status_code == 200
    assert response.context["form"].errors["end"][0].startswith("Signals are kept for 13 months")


@pytest.mark.parametrize("params", [{"end": "9999-12-31"}, {"start": "0001-01-01"}, {"end": "10000-01-01"}])
def test_export_and_summary_with_unusable_dates_answer_400(client, coordinator, params):
    client.force_login(coordinator)

    export = client.get(reverse("insights:export", args=["themes"]), params)
    summary = client.get(reverse("insights:evaluation_summary"), params)

    assert (export.status_code, summary.status_code) == (400, 400)
    assert "The address or form could not be read" in export.content.decode()
