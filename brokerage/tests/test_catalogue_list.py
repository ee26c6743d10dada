"""/offers/: filters, facet counts, search, sorting, visibility, query bound."""

import datetime as dt

import pytest
from django.utils import timezone

from programmes.cache import forget_local
from programmes.choices import OfferStatus
from programmes.models import Offer
from programmes.selectors import review_cutoff
from tests_support import factories

pytestmark = pytest.mark.django_db
URL = "/offers/"


def titles(response):
    return [offer.title for offer in response.context["offers"]]


def slugs(client, query):
    response = client.get(URL, query)
    assert response.status_code == 200
    return sorted(offer.slug for offer in response.context["offers"])


@pytest.mark.parametrize(
    "query, expected",
    [
        ({}, ["leading-curriculum", "maths-coaching", "reading-workshop"]),
        ({"theme": "maths"}, ["leading-curriculum", "maths-coaching"]),
        ({"theme": "english"}, ["leading-curriculum", "reading-workshop"]),
        ({"audience": "leaders"}, ["leading-curriculum", "reading-workshop"]),
        ({"audience": "teachers"}, ["maths-coaching", "reading-workshop"]),
        ({"region": "south-west"}, ["leading-curriculum", "maths-coaching"]),  # national counts everywhere
        ({"region": "wales"}, ["leading-curriculum", "reading-workshop"]),
        ({"format": "workshop"}, ["reading-workshop"]),
        ({"format": "online"}, ["leading-curriculum"]),
        ({"cost": "paid"}, ["leading-curriculum"]),
        ({"cost": "free"}, ["maths-coaching"]),
        ({"accredited": "yes"}, ["leading-curriculum", "reading-workshop"]),
        ({"accredited": "no"}, ["maths-coaching"]),
        ({"q": "coaching"}, ["maths-coaching"]),
    ],
)
def test_filter_each_gives_known_offers(client, catalogue, query, expected):
    assert slugs(client, query) == expected


@pytest.mark.parametrize(
    "query, expected",
    [
        # Several values of one filter: OR.
        ({"theme": ["maths", "english"]}, ["leading-curriculum", "maths-coaching", "reading-workshop"]),
        ({"format": ["workshop", "coaching"]}, ["maths-coaching", "reading-workshop"]),
        # Different filters: AND.
        ({"theme": "maths", "audience": "leaders"}, ["leading-curriculum"]),
        ({"theme": "maths", "region": "wales"}, ["leading-curriculum"]),
        ({"region": "wales", "cost": "free"}, []),
        ({"theme": ["maths", "english"], "audience": "teachers", "accredited": "yes"}, ["reading-workshop"]),
        ({"q": "teaching", "theme": "english"}, ["reading-workshop"]),
    ],
)
def test_filter_combinations_give_known_offers(client, catalogue, query, expected):
    assert slugs(client, query) == expected


@pytest.mark.parametrize(
    "state",
    [{}, {"theme": "maths"}, {"audience": "teachers", "cost": ["free", "funded"]}, {"region": "wales"}, {"q": "maths"}],
)
def test_facet_counts_equal_results_of_each_choice(client, catalogue, state):
    response = client.get(URL, state)
    facets = response.context["facets"]
    checked = 0
    for facet, options in facets.items():
        for option in options:
            query = {**state, facet: option["value"], "per_page": 50}
            result = client.get(URL, query)
            assert option["count"] == result.context["total"] == len(result.context["offers"]), (facet, option)
            checked += 1
    assert checked >= 15


def test_facet_counts_follow_changes_to_offers(client, catalogue):
    before = client.get(URL).context["facets"]["theme"]
    assert [o["count"] for o in before if o["value"] == "maths"] == [2]
    factories.OfferFactory(title="Another maths offer", themes=[catalogue["maths"]])
    after = client.get(URL).context["facets"]["theme"]
    assert [o["count"] for o in after if o["value"] == "maths"] == [3]
    catalogue["a"].status = OfferStatus.ARCHIVED
    catalogue["a"].save()
    assert [o["count"] for o in client.get(URL).context["facets"]["theme"] if o["value"] == "maths"] == [2]


def test_a_theme_added_after_a_page_was_shown_filters_at_once(client, catalogue):
    # The filterset's form is made once per vocabulary: a new theme is a new vocabulary.
    assert slugs(client, {"theme": "maths"}) == ["leading-curriculum", "maths-coaching"]
    ethics = factories.ThemeFactory(name="Ethics", slug="ethics")
    factories.OfferFactory(title="Ethics in the classroom", slug="ethics-offer", themes=[ethics])
    assert slugs(client, {"theme": "ethics"}) == ["ethics-offer"]
    assert slugs(client, {"theme": ["ethics", "maths"]}) == ["ethics-offer", "leading-curriculum", "maths-coaching"]
    assert slugs(client, {"theme": "maths"}) == ["leading-curriculum", "maths-coaching"]


def test_unpublished_and_archived_never_appear(client, catalogue):
    for query in ({}, {"q": "maths"}, {"theme": "maths"}, {"past": "1"}, {"q": "secret"}, {"q": "archived"}):
        found = slugs(client, {**query, "per_page": 50})
        assert "draft-maths" not in found and "archived-maths" not in found
    assert client.get("/offers/draft-maths/").status_code == 404
    assert client.get("/offers/archived-maths/").status_code == 404


def test_past_offers_hidden_unless_asked(client, catalogue):
    assert "past-maths" not in slugs(client, {})
    assert slugs(client, {"past": "1", "theme": "maths"}) == ["leading-curriculum", "maths-coaching", "past-maths"]


def test_sort_title_and_newest(client, catalogue):
    assert titles(client.get(URL, {"sort": "title"})) == [
        "Leading curriculum change", "Maths coaching for teachers", "Teaching reading workshop"
    ]
    assert titles(client.get(URL, {"sort": "newest"})) == [
        "Leading curriculum change", "Teaching reading workshop", "Maths coaching for teachers"
    ]
    # Soonest start first; rolling (no date) last.
    assert titles(client.get(URL, {"sort": "start"})) == [
        "Teaching reading workshop", "Maths coaching for teachers", "Leading curriculum change"
    ]


def test_stale_offer_sinks_below_fresh_ones(client, catalogue):
    catalogue["b"].last_reviewed_on = timezone.localdate() - dt.timedelta(days=200)
    catalogue["b"].save()
    response = client.get(URL, {"sort": "start"})
    assert titles(response) == ["Maths coaching for teachers", "Leading curriculum change", "Teaching reading workshop"]
    assert b"Not checked for over 6 months" in response.content


def test_card_says_who_checked_it_and_when(client, catalogue):
    catalogue["a"].last_reviewed_on = dt.date(2026, 9, 1)
    catalogue["a"].save()
    response = client.get(URL, {"q": "coaching"})
    assert "Last checked by Priya Shah on 1 September 2026" in response.content.decode()


def test_pagination_keeps_filters(client, catalogue):
    for n in range(12):
        factories.OfferFactory(title=f"Extra maths {n:02}", themes=[catalogue["maths"]])
    response = client.get(URL, {"theme": "maths", "per_page": 10, "sort": "title"})
    assert response.context["total"] == 14
    assert len(response.context["offers"]) == 10
    assert "?theme=maths&amp;per_page=10&amp;sort=title&amp;page=2" in response.content.decode()
    second = client.get(URL, {"theme": "maths", "per_page": 10, "sort": "title", "page": 2})
    assert len(second.context["offers"]) == 4


def test_no_results_says_so_and_suggests_removing_filters(client, catalogue):
    response = client.get(URL, {"region": "wales", "cost": "free"})
    body = response.content.decode()
    assert "No offers found" in body and "Try removing a filter" in body


def test_htmx_request_gets_results_and_counts_only(client, catalogue):
    response = client.get(URL, {"theme": "maths"}, headers={"HX-Request": "true"})
    body = response.content.decode()
    assert "<html" not in body
    assert "2 offers" in body
    assert 'id="c-audience-leaders" data-hx-swap-oob="true"' in body
    assert "HX-Request" in response["Vary"]


def test_full_page_works_without_javascript(client, catalogue):
    body = client.get(URL, {"theme": "maths"}).content.decode()
    assert '<form id="catalogue-form" method="get" action="/offers/"' in body
    assert 'name="theme" value="maths" id="f-theme-maths" checked' in body
    assert "Apply filters" in body


def test_same_as_offers_show_as_one_card(client, catalogue):
    twin = factories.OfferFactory(
        title="Maths coaching (the other programme)", slug="maths-coaching-twin",
        programme=factories.ProgrammeFactory(plain_name="Maths hubs"), themes=[catalogue["maths"]],
    )
    twin.same_as.add(catalogue["a"])
    response = client.get(URL, {"theme": "maths"})
    assert sorted(o.slug for o in response.context["offers"]) == ["leading-curriculum", "maths-coaching"]
    assert response.context["total"] == 2
    assert "Also offered by" in response.content.decode() and "Maths hubs" in response.content.decode()


def test_also_offered_line_follows_same_as_marked_and_removed_after_a_page_was_seen(client, catalogue):
    """Only offers marked as the same as another read the "also offered by" line, and which those are
    is kept per catalogue version: marking or unmarking a pair shows on the next page."""
    twin = factories.OfferFactory(
        title="Maths coaching (the other programme)", slug="maths-coaching-twin",
        programme=factories.ProgrammeFactory(plain_name="Maths hubs"), themes=[catalogue["maths"]],
    )
    assert "Also offered by" not in client.get(URL, {"theme": "maths"}).content.decode()
    twin.same_as.add(catalogue["a"])
    forget_local()  # another process would see the renewed version within VERSION_RECHECK seconds
    body = client.get(URL, {"theme": "maths"}).content.decode()
    assert "Also offered by" in body and "Maths hubs" in body
    twin.same_as.remove(catalogue["a"])
    forget_local()
    body = client.get(URL, {"theme": "maths"}).content.decode()
    assert "Also offered by" not in body and "Maths coaching (the other programme)" in body


def test_glossary_expansion_acronym_finds_spelled_out(client, catalogue):
    factories.GlossaryTermFactory(acronym="ESOL", slug="esol", meaning="English for speakers of other languages")
    factories.OfferFactory(title="Support for English for speakers of other languages tutors", slug="spelled")
    factories.OfferFactory(title="ESOL classroom toolkit", slug="acronym")
    # The offers saying it either way, then those carrying the theme named "English and ESOL".
    with_theme = ["leading-curriculum", "reading-workshop"]
    assert slugs(client, {"q": "ESOL"})[0] == "acronym"
    assert sorted(slugs(client, {"q": "esol"})) == sorted(["acronym", "spelled", *with_theme])


def test_glossary_expansion_spelled_out_finds_acronym(client, catalogue):
    factories.GlossaryTermFactory(acronym="ESOL", slug="esol", meaning="English for speakers of other languages")
    factories.OfferFactory(title="Support for English for speakers of other languages tutors", slug="spelled")
    factories.OfferFactory(title="ESOL classroom toolkit", slug="acronym")
    found = slugs(client, {"q": "English for speakers of other languages"})
    assert sorted(found) == ["acronym", "leading-curriculum", "reading-workshop", "spelled"]


def test_acronyms_shown_with_their_meaning(client, catalogue):
    factories.GlossaryTermFactory(acronym="SEND", slug="send", meaning="Special educational needs and disabilities")
    factories.OfferFactory(title="Inclusion", slug="inclusion", summary="Practical SEND strategies; send us a note.")
    body = client.get(URL, {"q": "inclusion"}).content.decode()
    assert '<abbr title="Special educational needs and disabilities">SEND</abbr> strategies; send us' in body


@pytest.mark.parametrize(
    "query", [{}, {"theme": "maths", "audience": "teachers"}, {"q": "maths", "region": "south-west", "cost": "free"}]
)
def test_query_count_same_for_10_and_50_per_page(client, catalogue, django_assert_max_num_queries, query, settings):
    # The worst case: every page computed and every card rendered.
    settings.CATALOGUE_PAGE_CACHE = settings.CATALOGUE_CARD_CACHE = False
    for n in range(60):
        factories.OfferFactory(
            title=f"Bulk maths offer {n}", themes=[catalogue["maths"]], audiences=[catalogue["teachers"]],
            regions=[catalogue["south_west"]], summary="maths for teachers",
        )
    client.get(URL, query)  # warm the vocabulary cache
    with django_assert_max_num_queries(12) as at_10:
        client.get(URL, {**query, "per_page": 10})
    with django_assert_max_num_queries(12) as at_50:
        response = client.get(URL, {**query, "per_page": 50})
    assert len(at_10) == len(at_50)
    assert len(response.context["offers"]) == min(50, response.context["total"])


def test_unfiltered_page_shared_between_visitors(client, catalogue, django_assert_max_num_queries):
    first = client.get(URL)
    with django_assert_max_num_queries(0):
        again = client.get(URL)
    assert again.content == first.content
    factories.OfferFactory(title="A brand new offer")  # renews the catalogue version
    assert "A brand new offer" in client.get(URL).content.decode()


def test_query_count_bounded_for_provider_contact(client, catalogue, provider_contact, django_assert_max_num_queries):
    provider_contact.organisation.priorities.add(catalogue["maths"])
    client.force_login(provider_contact.user)
    client.get(URL)
    with django_assert_max_num_queries(12):
        response = client.get(URL, {"theme": "maths", "per_page": 50})
    assert response.context["sort"] == "priorities"


def test_priorities_first_with_visible_reason(client, catalogue, provider_contact):
    organisation = provider_contact.organisation
    organisation.priorities.add(catalogue["english"])
    organisation.staff_groups.add(catalogue["leaders"])
    client.force_login(provider_contact.user)
    response = client.get(URL)
    assert response.context["sort"] == "priorities"
    # reading workshop: english + leaders (2); leading curriculum: english + leaders (2); maths coaching: none.
    assert titles(response)[-1] == "Maths coaching for teachers"
    body = response.content.decode()
    assert "Offered nationally · Matches your priorities: English and ESOL; Leaders" in body


def test_priorities_order_by_number_of_matches_then_default_order(client, catalogue, provider_contact):
    """Hand-computed: national offers first (none is in the organisation's region, all open to any kind),
    then more matches of the priorities and staff groups, each group soonest first."""
    today = timezone.localdate()
    maths, english, teachers, leaders = (catalogue[k] for k in ("maths", "english", "teachers", "leaders"))
    extra = factories.ThemeFactory(slug="digital")
    organisation = provider_contact.organisation
    organisation.priorities.add(maths, english)
    organisation.staff_groups.add(teachers)
    made = {}
    for slug, themes, audiences, days, stale in [
        ("three-late", [maths, english], [teachers], 50, False),
        ("three-soon", [maths, english], [teachers, leaders], 5, False),
        ("three-stale", [maths, english], [teachers], 1, True),
        ("two-soon", [maths], [teachers], 3, False),
        ("two-rolling", [english], [teachers], None, False),
        ("one-soon", [extra], [teachers], 2, False),
        ("none", [extra], [leaders], 1, False),
    ]:
        made[slug] = factories.OfferFactory(
            slug=slug, title=f"Offer {slug}", themes=themes, audiences=audiences,
            is_rolling=days is None, starts_on=None if days is None else today + dt.timedelta(days=days),
            last_reviewed_on=today - dt.timedelta(days=400 if stale else 1),
        )
    client.force_login(provider_contact.user)

    response = client.get(URL, {"per_page": 50})

    def key(offer):
        matches = len({t.pk for t in offer.themes.all()} & {maths.pk, english.pk}) + (
            teachers in offer.audiences.all()
        )
        stale = offer.last_reviewed_on < review_cutoff(today)
        return (not offer.is_national, -matches, stale, offer.starts_on is None, offer.starts_on or today, offer.title, offer.pk)

    listed = Offer.objects.filter(slug__in=[o.slug for o in response.context["offers"]])
    expected = [o.slug for o in sorted(listed, key=key)]
    assert response.context["sort"] == "priorities"
    assert [o.slug for o in response.context["offers"]] == expected
    assert expected[:4] == ["leading-curriculum", "three-soon", "three-late", "three-stale"]
    assert expected[-1] == "none"
    # A filter keeps the order within what it lets through.
    filtered = client.get(URL, {"audience": "teachers", "per_page": 50}).context
    assert [o.slug for o in filtered["offers"]] == [
        slug for slug in expected if teachers in Offer.objects.get(slug=slug).audiences.all()
    ]


def test_anonymous_has_no_priorities_sort(client, catalogue):
    response = client.get(URL, {"sort": "priorities"})
    assert response.context["sort"] == "start"
    assert "priorities" not in dict(response.context["sorts"])


@pytest.mark.postgres
def test_search_ranks_title_match_above_description_match(client, catalogue):
    factories.OfferFactory(title="General support", slug="desc-hit", description="Includes some numeracy work.")
    factories.OfferFactory(title="Numeracy for adults", slug="title-hit", description="Practical sessions.")
    response = client.get(URL, {"q": "numeracy"})
    # Then the offers carrying the theme "Maths and numeracy" (numeracy names it).
    assert [o.slug for o in response.context["offers"]][:2] == ["title-hit", "desc-hit"]
    assert response.context["sort"] == "relevance"


@pytest.mark.postgres
@pytest.mark.parametrize("query", [{}, {"theme": "maths"}, {"audience": "teachers", "cost": "free"}])
@pytest.mark.parametrize("rank_cap", [500, 3])
def test_best_match_order_same_with_the_search_kept_or_asked_again(client, catalogue, settings, monkeypatch, query, rank_cap):
    # rank_cap 3: more matches than are ranked (the ranked ones first, then the rest in the default order).
    monkeypatch.setattr("brokerage.catalogue.selectors.RANK_CAP", rank_cap)
    # Ten offers, every second one with the word in its title (ranks higher), half of them maths.
    for n in range(10):
        factories.OfferFactory(
            title=f"Numeracy sessions {n}" if n % 2 else f"Support sessions {n}", summary="numeracy at work",
            themes=[catalogue["maths"] if n < 5 else catalogue["english"]], audiences=[catalogue["teachers"]],
            cost="free",
        )
    settings.CATALOGUE_PAGE_CACHE = False
    params = {**query, "q": "numeracy", "sort": "relevance", "per_page": 50}
    settings.CATALOGUE_SEARCH_CACHE = False
    asked = client.get(URL, params).context
    settings.CATALOGUE_SEARCH_CACHE = True
    client.get(URL, {"q": "numeracy"})  # the matches and their ranks kept
    kept = client.get(URL, params).context
    assert [o.slug for o in kept["offers"]] == [o.slug for o in asked["offers"]]
    assert kept["total"] == asked["total"] == len(asked["offers"]) == len({o.slug for o in asked["offers"]}) > 0
    titles_in_order = [o.title for o in asked["offers"]]
    assert titles_in_order[0].startswith("Numeracy")


@pytest.mark.postgres
def test_search_uses_stemming_on_postgres(client, catalogue):
    assert slugs(client, {"q": "coach"}) == ["maths-coaching"]


@pytest.mark.postgres
def test_search_vector_kept_current_on_update(client, catalogue):
    offer = catalogue["b"]
    offer.title = "Phonics masterclass"
    offer.save()
    assert slugs(client, {"q": "phonics"}) == ["reading-workshop"]
    # "reading" is no longer its word (the search may suggest a close one: "leading").
    assert "reading-workshop" not in slugs(client, {"q": "reading"})


def test_unknown_filter_values_are_ignored(client, catalogue):
    response = client.get(URL, {"theme": "no-such-theme", "format": "telepathy", "per_page": "7", "sort": "nonsense"})
    assert response.status_code == 200
    assert sorted(o.slug for o in response.context["offers"]) == ["leading-curriculum", "maths-coaching", "reading-workshop"]
    assert response.context["sort"] == "start" and response.context["per_page"] == 20


def test_offer_text_is_escaped_around_acronyms(client, catalogue):
    factories.GlossaryTermFactory(acronym="FE", slug="fe", meaning="Further education")
    factories.OfferFactory(title="Escaping", slug="escaping", summary='FE <script>alert("x")</script> & more')
    body = client.get(URL, {"q": "escaping"}).content.decode()
    assert '<abbr title="Further education">FE</abbr> &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; more' in body
    assert '<script>alert("x")</script>' not in body


def _facet_arrays(offer):
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT theme_ids, audience_ids, region_ids FROM programmes_offer WHERE id = %s", [offer.pk])
        return tuple(sorted(ids) for ids in cursor.fetchone())


@pytest.mark.postgres
def test_facet_arrays_follow_every_change_of_links(catalogue):
    offer = factories.OfferFactory(slug="array-sync")
    theme_a, theme_b = factories.ThemeFactory(), factories.ThemeFactory()
    region = factories.RegionFactory()
    offer.themes.set([theme_a])
    offer.regions.add(region)
    themes, audiences, regions = _facet_arrays(offer)
    assert themes == [theme_a.pk]
    assert audiences == sorted(offer.audiences.values_list("pk", flat=True))
    assert regions == [region.pk]
    offer.themes.add(theme_b)
    assert _facet_arrays(offer)[0] == sorted([theme_a.pk, theme_b.pk])
    offer.themes.remove(theme_a)
    assert _facet_arrays(offer)[0] == [theme_b.pk]
    offer.regions.clear()
    assert _facet_arrays(offer)[2] == []
    theme_b.delete()  # deleting a theme deletes its links: the offer forgets it too
    assert _facet_arrays(offer)[0] == []


def _page_slugs(client, query):
    response = client.get(URL, query)
    assert response.status_code == 200
    return [offer.slug for offer in response.context["offers"]], response.context


def test_default_order_pages_from_facet_index_equal_sql_order(client, catalogue):
    """Pages in the default order come from the in-memory index: same offers, same order as the SQL order."""
    from brokerage.catalogue.facet_index import default_order
    from programmes.selectors import catalogue_offers, today

    for n in range(25):
        factories.OfferFactory(
            title=f"Offer {n:02d}", slug=f"bulk-{n}", themes=[catalogue["maths"]], is_rolling=False,
            starts_on=timezone.localdate() + dt.timedelta(days=n % 7),
            last_reviewed_on=timezone.localdate() - dt.timedelta(days=400 if n % 5 == 0 else 1),
        )
    expected = list(
        default_order(catalogue_offers().filter(themes=catalogue["maths"]), today()).values_list("slug", flat=True)
    )
    seen = []
    for page in (1, 2, 3):
        found, context = _page_slugs(client, {"theme": "maths", "per_page": 10, "page": page})
        assert context["sort"] == "start"
        seen += found
    assert seen == expected
    assert context["total"] == len(expected)


def test_broad_search_ranks_capped_candidates_then_lists_the_rest(client, catalogue, monkeypatch):
    """Past RANK_CAP matches, the first ones in default order are ranked; every match still shows exactly once."""
    from brokerage.catalogue import selectors

    monkeypatch.setattr(selectors, "RANK_CAP", 3)
    for n in range(14):
        factories.OfferFactory(
            title=f"Session {n:02d}", slug=f"sess-{n}", summary="Practical sessions about phonics.",
            is_rolling=False, starts_on=timezone.localdate() + dt.timedelta(days=n + 1),
        )
    # Matches in its title and starts soonest of all: among the ranked candidates, first.
    factories.OfferFactory(
        title="Phonics intensive", slug="phonics-title", summary="Practical sessions.", is_rolling=False,
        starts_on=timezone.localdate() + dt.timedelta(days=2),
    )
    first, context = _page_slugs(client, {"q": "phonics", "per_page": 10})
    second, _ = _page_slugs(client, {"q": "phonics", "per_page": 10, "page": 2})
    assert context["sort"] == "relevance"
    assert context["total"] == 15
    assert len(first) == 10 and len(second) == 5
    assert sorted(first + second) == sorted(["phonics-title"] + [f"sess-{n}" for n in range(14)])
    assert first[0] == "phonics-title"
    # After the ranked candidates the rest follow in date order.
    assert first[3:] == [f"sess-{n}" for n in range(2, 9)]


def _facts(offer):
    """What each facet sees of an offer, read plainly from the ORM (not through the declarations)."""
    return {
        "theme": {t.slug for t in offer.themes.all()},
        "audience": {a.slug for a in offer.audiences.all()},
        "region": {"*"} if offer.is_national else {r.slug for r in offer.regions.all()},
        "format": {offer.format},
        "cost": {offer.cost},
        "accredited": {"yes" if offer.accredited else "no"},
        "open_to": set(offer.open_to) or {"*"},  # none listed: open to any kind
        "language": {offer.delivery_language},
    }


def _has(facts, facet, values):
    """An offer's facts meet one filter: one of its values, or counted under every value ("*")."""
    return bool(facts[facet] & set(values)) or "*" in facts[facet]


def _meets(facts, query, skip=None):
    """An offer's facts meet every filter of the query but ``skip``."""
    return all(_has(facts, facet, values) for facet, values in query.items() if facet != skip)


def _brute_force_counts(offers, query, choices, card_of=None):
    """Count by hand: a choice's count is the cards of the offers meeting every other filter and having that choice.

    card_of: {slug: the slug of the card naming it} for grouped offers; any other offer is its own card.
    """
    card_of = card_of or {}
    facts = [(card_of.get(offer.slug, offer.slug), _facts(offer)) for offer in offers]
    return {
        facet: {
            value: len({card for card, f in facts if _meets(f, query, skip=facet) and _has(f, facet, [value])})
            for value in values
        }
        for facet, values in choices.items()
    }


def _varied_offers(catalogue, count):
    """Published offers extra-0 .. extra-(count - 1), with every facet's values varied among them."""
    return [
        factories.OfferFactory(
            slug=f"extra-{n}", themes=[[catalogue["maths"]], [catalogue["english"]], []][n % 3],
            audiences=[catalogue["teachers"]] if n % 2 else [catalogue["leaders"]],
            regions=[catalogue["wales"]] if n % 4 == 1 else [], is_national=n % 5 == 0,
            cost=["free", "funded"][n % 2], format=["coaching", "online", "workshop"][n % 3], accredited=n % 3 == 0,
            open_to=[[], ["school"], ["college", "work_based"], ["voluntary", "school"]][n % 4],
            delivery_language=["cy", "en", "bilingual", "cy", "en"][n % 5],
        )
        for n in range(count)
    ]


@pytest.mark.parametrize("query", [
    {}, {"theme": ["maths"]}, {"theme": ["maths"], "region": ["wales"], "cost": ["free"]},
    {"format": ["coaching", "online"]}, {"accredited": ["yes"], "audience": ["leaders", "teachers"]},
    {"region": ["south-west"], "theme": ["english"]},
    {"open_to": ["school"]}, {"open_to": ["college", "voluntary"], "cost": ["free"]},
    {"language": ["cy"]}, {"language": ["cy", "bilingual"], "theme": ["maths"]}, {"language": ["en"], "region": ["wales"]},
])
def test_facet_counts_equal_counting_the_offers_by_hand(client, catalogue, query):
    _varied_offers(catalogue, 12)
    listed = [o for o in Offer.objects.filter(status=OfferStatus.PUBLISHED) if o.slug not in ("past-maths",)]
    response = client.get(URL, {**query, "per_page": 50})
    shown = {facet: {o["value"]: o["count"] for o in options} for facet, options in response.context["facets"].items()}
    choices = {facet: list(counts) for facet, counts in shown.items()}

    expected = _brute_force_counts(listed, query, choices)

    assert shown == expected
    matching = [o.slug for o in listed if _meets(_facts(o), query)]
    assert response.context["total"] == len(matching)
    assert sorted(offer.slug for offer in response.context["offers"]) == sorted(matching)
    # The orders the index does not keep filter in SQL, with the same declarations.
    by_title = client.get(URL, {**query, "per_page": 50, "sort": "title"})
    assert sorted(offer.slug for offer in by_title.context["offers"]) == sorted(matching)


@pytest.mark.parametrize("query", [
    {}, {"theme": ["maths"]}, {"region": ["wales"], "cost": ["free"]}, {"format": ["coaching", "online"]},
    {"open_to": ["school"], "audience": ["teachers"]}, {"language": ["cy"], "theme": ["english"]},
])
def test_facet_counts_of_grouped_offers_count_their_cards_by_hand(client, catalogue, query):
    """Offers marked as the same thing share a card: a choice counts each card once, whichever offers bring it."""
    extra = _varied_offers(catalogue, 16)
    # Groups of two and three, and a chain: a card is its group's first offer (the lowest id).
    groups = [(0, 1), (2, 3, 4), (5, 6), (6, 7), (9, 10), (12, 15)]
    for first, *others in groups:
        for other in others:
            extra[other].same_as.add(extra[first])
    card_of = {"extra-1": "extra-0", "extra-3": "extra-2", "extra-4": "extra-2", "extra-6": "extra-5",
               "extra-7": "extra-5", "extra-10": "extra-9", "extra-15": "extra-12"}
    listed = [o for o in Offer.objects.filter(status=OfferStatus.PUBLISHED) if o.slug not in ("past-maths",)]
    response = client.get(URL, {**query, "per_page": 50})
    shown = {facet: {o["value"]: o["count"] for o in options} for facet, options in response.context["facets"].items()}
    choices = {facet: list(counts) for facet, counts in shown.items()}

    expected = _brute_force_counts(listed, query, choices, card_of)

    assert shown == expected
    matching_cards = {card_of.get(o.slug, o.slug) for o in listed if _meets(_facts(o), query)}
    assert response.context["total"] == len(matching_cards)
    assert {offer.slug for offer in response.context["offers"]} == matching_cards


def test_filtered_page_shared_between_anonymous_visitors_until_offers_change(client, catalogue):
    from brokerage.insights.models import Signal

    query = {"theme": "maths", "q": "maths"}
    first = client.get(URL, query)
    again = client.get(URL, query)
    assert again.content == first.content
    # The insights signal is recorded for every request, cached or not.
    assert Signal.objects.count() == 2
    factories.OfferFactory(title="Maths for new starters", themes=[catalogue["maths"]])  # renews the version
    assert "Maths for new starters" in client.get(URL, query).content.decode()


def test_filtered_page_computed_each_time_when_page_cache_off(client, catalogue, settings, django_assert_max_num_queries):
    settings.CATALOGUE_PAGE_CACHE = False
    client.get(URL, {"theme": "maths"})
    with django_assert_max_num_queries(12):
        response = client.get(URL, {"theme": "maths"})
    assert response.context["total"] == 2  # rendered now, not read from the page cache


def test_cached_cards_need_no_offer_rows(client, catalogue, settings, django_assert_max_num_queries):
    settings.CATALOGUE_PAGE_CACHE = False
    settings.CATALOGUE_CARD_CACHE = True
    first = client.get(URL, {"theme": "maths"})
    with django_assert_max_num_queries(12) as captured:
        again = client.get(URL, {"theme": "maths", "sort": "start"})
    assert not [q for q in captured.captured_queries if 'FROM "programmes_offer"' in q["sql"]]
    assert [o.slug for o in again.context["offers"]] == [o.slug for o in first.context["offers"]]
    assert again.content.count(b'class="card offer-card') == len(first.context["offers"]) > 0


def test_cached_cards_render_the_same_page_as_the_template(client, catalogue, settings):
    settings.CATALOGUE_PAGE_CACHE = False
    settings.CATALOGUE_CARD_CACHE = True
    client.get(URL, {"theme": "maths"})  # cards rendered and kept
    cached_cards = client.get(URL, {"theme": "maths"}).content
    settings.CATALOGUE_CARD_CACHE = False
    assert client.get(URL, {"theme": "maths"}).content == cached_cards


def _new_process():
    """What a freshly started process remembers of the catalogue: nothing (the shared cache stays)."""
    from brokerage.catalogue import selectors

    forget_local()
    selectors._cards.update(key=None, cards={})


def test_cards_rendered_by_one_process_are_read_by_another(client, catalogue, settings, django_assert_max_num_queries):
    settings.CATALOGUE_PAGE_CACHE = False
    settings.CATALOGUE_CARD_CACHE = True
    first = client.get(URL, {"theme": "maths"})
    _new_process()
    with django_assert_max_num_queries(12) as captured:
        again = client.get(URL, {"theme": "maths"})
    assert not [q for q in captured.captured_queries if 'FROM "programmes_offer"' in q["sql"]]
    assert again.content == first.content


def test_an_edit_is_not_hidden_by_shared_cards(client, catalogue, settings):
    settings.CATALOGUE_PAGE_CACHE = False
    settings.CATALOGUE_CARD_CACHE = True
    offer = client.get(URL, {"theme": "maths"}).context["offers"][0]
    edited = Offer.objects.get(pk=offer.pk)
    edited.title = "Renamed after the cards were shared"
    edited.save()  # renews the catalogue version
    _new_process()
    assert "Renamed after the cards were shared" in client.get(URL, {"theme": "maths"}).content.decode()
