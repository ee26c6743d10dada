"""A signed-in provider's catalogue: their region, their kind of organisation, then their priorities (issue 15, item 4)."""

import re

import pytest

from brokerage.catalogue.ranking import OPEN_TO_YOUR_KIND
from programmes.choices import OrganisationKind
from tests_support import factories

pytestmark = pytest.mark.django_db
URL = "/offers/"
REASON = re.compile(r'id="offer-(\d+)-why"><span class="visually-hidden">[^<]*</span>([^<]*)</p>')


@pytest.fixture
def region(db):
    """Exeter College in Devon, with one priority and one staff group; offers whose titles run against the order."""
    devon = factories.RegionFactory(name="Devon", slug="devon")
    cornwall = factories.RegionFactory(name="Cornwall", slug="cornwall")
    afl = factories.ThemeFactory(name="Assessment for learning", slug="afl")
    other_theme = factories.ThemeFactory(name="Leadership", slug="leadership")
    teachers = factories.AudienceFactory(name="Teachers", slug="teachers")
    contact = factories.ProviderContactFactory(
        organisation__name="Exeter College", organisation__kind="fe_college", organisation__region=devon
    )
    contact.organisation.priorities.add(afl)
    contact.organisation.staff_groups.add(teachers)
    offers = {}
    # Every offer is rolling and freshly checked: the default order is the title, A to Z,
    # so each place below is decided by region, then kind, then priorities.
    for key, regions, national, open_to, themes, audiences in [
        ("z", [devon], False, ["college"], [afl], []),
        ("y", [devon], False, ["college", "school"], [other_theme], []),
        ("x", [], True, [], [afl], []),
        ("w", [devon], False, [], [other_theme], []),
        ("t", [devon], False, ["school"], [afl], [teachers]),
        ("v", [cornwall], False, ["college"], [afl], [teachers]),
        ("u", [cornwall], False, [], [afl], []),
        ("s", [cornwall], False, [], [other_theme], []),
    ]:
        offers[key] = factories.OfferFactory(
            title=f"{key.upper()} offer", slug=f"offer-{key}", regions=regions, is_national=national,
            open_to=open_to, themes=themes, audiences=audiences,
        )
    return {"contact": contact, "offers": offers, "devon": devon, "afl": afl, "teachers": teachers}


def _keys(response):
    return [offer.slug.removeprefix("offer-") for offer in response.context["offers"]]


def _reasons(response, offers):
    """{offer key: the reason shown with its card}, as the page reads."""
    by_pk = {offer.pk: key for key, offer in offers.items()}
    return {by_pk[int(pk)]: text for pk, text in REASON.findall(response.content.decode())}


def test_devon_college_sees_its_region_then_its_kind_then_its_priorities(client, region):
    client.force_login(region["contact"].user)

    response = client.get(URL)

    assert response.context["sort"] == "priorities"
    # Devon and national first (z, y: colleges named; x, w: any kind, the priority first), then Cornwall's
    # (v: colleges named; u, s: any kind, the priority first). t is for schools only: hidden by the kind default.
    assert _keys(response) == ["z", "y", "x", "w", "v", "u", "s"]
    reasons = _reasons(response, region["offers"])
    assert reasons == {
        "z": "In your region (Devon) · Open to colleges · Matches your priority: Assessment for learning",
        "y": "In your region (Devon) · Open to colleges",
        "x": "Offered nationally · Matches your priority: Assessment for learning",
        "w": "In your region (Devon)",
        "v": "Open to colleges · Matches your priorities: Assessment for learning; Teachers",
        "u": "Matches your priority: Assessment for learning",
    }
    assert "what suits Exeter College first" in response.content.decode()


def test_every_kind_puts_offers_for_other_kinds_after_those_open_to_the_college(client, region):
    client.force_login(region["contact"].user)

    response = client.get(URL, {"every_kind": "1"})

    # t (Devon, schools only, two matches) comes after every Devon offer a college can take, before Cornwall.
    assert _keys(response) == ["z", "y", "x", "w", "t", "v", "u", "s"]
    assert _reasons(response, region["offers"])["t"] == (
        "In your region (Devon) · Matches your priorities: Assessment for learning; Teachers"
    )


def test_filters_keep_the_order_within_what_they_let_through(client, region):
    client.force_login(region["contact"].user)

    response = client.get(URL, {"theme": "afl"})

    assert _keys(response) == ["z", "x", "v", "u"]


def test_provider_without_priorities_still_sees_its_region_and_kind_first(client, region):
    organisation = region["contact"].organisation
    organisation.priorities.clear()
    organisation.staff_groups.clear()
    client.force_login(region["contact"].user)

    response = client.get(URL)

    assert response.context["sort"] == "priorities"
    # No priorities: within each tier the default order (title A to Z) decides.
    assert _keys(response) == ["y", "z", "w", "x", "v", "s", "u"]
    reasons = _reasons(response, region["offers"])
    assert reasons["x"] == "Offered nationally"
    assert reasons["z"] == "In your region (Devon) · Open to colleges"
    assert "s" not in reasons  # Cornwall, any kind, nothing matched: nothing to say
    assert "Matches your" not in response.content.decode()


def test_kind_without_a_take_up_kind_ranks_any_kind_first(client, region):
    organisation = region["contact"].organisation
    organisation.kind = "adult_community"  # run by local authorities and voluntary organisations alike
    organisation.save()
    client.force_login(region["contact"].user)

    response = client.get(URL)

    assert response.context["kind_default"] is None
    # Devon and national: any kind first (x, w), then offers naming kinds (t, z, y by priorities); then Cornwall.
    assert _keys(response) == ["x", "w", "t", "z", "y", "u", "s", "v"]
    assert "Open to" not in " ".join(_reasons(response, region["offers"]).values())


def test_anonymous_visitor_keeps_the_default_order_and_no_reasons(client, region):
    client.force_login(region["contact"].user)
    client.get(URL)  # a provider's page first: nothing of it may reach the shared cards or pages
    client.logout()

    response = client.get(URL, {"every_kind": "1"})
    again = client.get(URL, {"sort": "priorities"})

    assert response.context["sort"] == again.context["sort"] == "start"
    assert _keys(response) == _keys(again) == ["s", "t", "u", "v", "w", "x", "y", "z"]
    assert "priorities" not in dict(response.context["sorts"])
    body = response.content.decode() + again.content.decode()
    assert "In your region" not in body and "Matches your" not in body and "-why" not in body


def test_reasons_do_not_reach_the_anonymous_card_cache(client, region, settings):
    settings.CATALOGUE_CARD_CACHE = True
    client.get(URL)  # an anonymous visitor renders and keeps every card
    client.force_login(region["contact"].user)

    signed_in = client.get(URL)
    client.logout()
    anonymous = client.get(URL, {"format": "workshop"})  # computed again, from the kept cards

    assert _reasons(signed_in, region["offers"])["w"] == "In your region (Devon)"
    assert len(anonymous.context["offers"]) == 8
    assert "In your region" not in anonymous.content.decode()


def test_reasons_are_escaped(client, region):
    region["afl"].name = "Maths & <English>"
    region["afl"].save()
    client.force_login(region["contact"].user)

    body = client.get(URL).content.decode()

    assert "Matches your priority: Maths &amp; &lt;English&gt;" in body
    assert "<English>" not in body


def test_reasons_in_welsh(client, region):
    client.force_login(region["contact"].user)

    response = client.get("/cy/offers/")

    reasons = _reasons(response, region["offers"])
    assert reasons["w"] == "Yn eich rhanbarth (Devon)"
    assert reasons["z"].startswith("Yn eich rhanbarth (Devon) · Ar agor i golegau · ")
    assert reasons["x"].startswith("Ar gael yn genedlaethol")


@pytest.mark.parametrize(
    "params",
    [
        {"sort": "<script>alert(1)</script>"},
        {"sort": ["priorities", "title"], "every_kind": ["1", "0"]},
        {"every_kind": "%00", "open_to": "college'--", "region": "devon\u202e"},
        {"sort": "priorities", "page": "99999999999999999999", "per_page": "-1"},
        {"theme": ["afl"] * 50, "audience": "teachers", "sort": "priorities", "q": "assessment"},
    ],
)
def test_hostile_parameters_never_fail_the_ranked_page(client, region, params):
    client.force_login(region["contact"].user)

    response = client.get(URL, params)

    assert response.status_code == 200
    assert "<script>alert(1)</script>" not in response.content.decode()
    assert response.context["sort"] in dict(response.context["sorts"])


def test_every_kind_of_organisation_has_its_reason():
    assert set(OPEN_TO_YOUR_KIND) == set(OrganisationKind.values)
