"""Who can take an offer up: the facet, the card and offer page, and a provider contact's default."""

import pytest

from programmes.cache import forget_local
from tests_support import factories

pytestmark = pytest.mark.django_db
URL = "/offers/"


@pytest.fixture
def offers(db):
    return {
        "schools": factories.OfferFactory(
            title="Support staff coaching", slug="support-staff", open_to=["school"],
            open_to_condition="Funded for <support staff> in maintained schools",
        ),
        "colleges": factories.OfferFactory(title="FE maths network", slug="fe-maths", open_to=["college", "work_based"]),
        "anyone": factories.OfferFactory(title="Digital skills for all", slug="digital-all", open_to=[]),
    }


def _titles(response):
    return sorted(offer.title for offer in response.context["offers"])


def _counts(response):
    return {option["value"]: option["count"] for option in response.context["facets"]["open_to"]}


def test_catalogue_filters_and_counts_by_who_can_take_it_up(client, offers):
    response = client.get(URL, {"open_to": "school"})

    assert _titles(response) == ["Digital skills for all", "Support staff coaching"]
    # An offer open to any kind counts under every kind.
    assert _counts(response) == {"college": 2, "school": 2, "local_authority": 1, "voluntary": 1, "work_based": 2}
    assert "Who can take it up" in response.content.decode()


def test_card_and_offer_page_say_who_can_take_it_up_escaped(client, offers):
    page = client.get(URL).content.decode()
    assert "Open to: Schools (Funded for &lt;support staff&gt; in maintained schools)" in page
    assert "Open to: Colleges, Work-based learning providers" in page
    assert "<support staff>" not in page

    detail = client.get(offers["anyone"].get_absolute_url()).content.decode()
    assert "Who can take it up" in detail and "Any organisation" in detail
    detail = client.get(offers["schools"].get_absolute_url()).content.decode()
    assert "Schools: Funded for &lt;support staff&gt; in maintained schools" in detail


def test_unknown_kind_in_the_address_drops_the_filter_not_an_error(client, offers):
    response = client.get(URL, {"open_to": ["<script>", "school'--", "college"]})
    assert response.status_code == 200
    assert len(response.context["offers"]) == 3  # as for every facet: an invalid choice drops its filter
    assert "<script>" not in response.content.decode()


def test_a_school_contact_sees_what_schools_can_take_with_a_way_to_see_all(client, offers):
    contact = factories.ProviderContactFactory(organisation__kind="school", organisation__name="Hill & Dale School")
    client.force_login(contact.user)

    response = client.get(URL)
    page = response.content.decode()
    assert _titles(response) == ["Digital skills for all", "Support staff coaching"]
    assert "Showing offers open to schools, the kind of organisation Hill &amp; Dale School is." in page
    assert 'name="every_kind" value="1"' in page  # the filter form says what is ticked, nothing more
    assert 'href="/offers/?every_kind=1"' in page  # "clear all" clears the default too

    everything = client.get(URL, {"every_kind": "1"})
    assert _titles(everything) == ["Digital skills for all", "FE maths network", "Support staff coaching"]
    assert "Showing offers open to" not in everything.content.decode()


def test_a_contact_whose_kind_offers_do_not_name_sees_everything(client, offers):
    contact = factories.ProviderContactFactory(organisation__kind="higher_education")
    client.force_login(contact.user)
    assert len(client.get(URL).context["offers"]) == 3


def test_anonymous_visitors_see_every_offer(client, offers):
    assert len(client.get(URL).context["offers"]) == 3


def test_welsh_pages_show_the_welsh_condition_or_the_english_marked(client, offers):
    welsh = client.get("/cy" + URL).content.decode()
    # No Welsh condition yet: the English, marked as English, on the card and the offer page.
    assert '<span lang="en">Funded for &lt;support staff&gt; in maintained schools</span>' in welsh
    detail = client.get("/cy/offers/support-staff/").content.decode()
    assert '<span lang="en">Funded for &lt;support staff&gt; in maintained schools</span>' in detail

    offer = offers["schools"]
    offer.open_to_condition_cy = "Ar gyfer staff cymorth"
    offer.save()
    forget_local()  # another process would see the renewed version within VERSION_RECHECK seconds
    welsh = client.get("/cy" + URL).content.decode()
    assert "(Ar gyfer staff cymorth)" in welsh
    assert "support staff&gt; in maintained" not in welsh
    english = client.get(URL).content.decode()
    assert "Funded for &lt;support staff&gt; in maintained schools" in english and "cymorth" not in english
