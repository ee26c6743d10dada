"""A fair page shows the surgeries held in one language: ?language=cy (Welsh), bilingual or en."""

import pytest

from events.tests.conftest import make_slots
from tests_support import factories

pytestmark = pytest.mark.django_db

TITLES = ["Sgwrs am fathemateg", "Maths in both languages", "Maths for FE tutors"]


@pytest.fixture
def surgeries(fair):
    maths = factories.ThemeFactory(name="Maths", slug="maths")
    reading = factories.ThemeFactory(name="Reading", slug="reading")
    made = {}
    for title, language, theme in zip(TITLES, ["cy", "bilingual", "en"], [maths, maths, reading]):
        made[language] = factories.SurgeryFactory(event=fair, title=title, language=language)
        made[language].themes.set([theme])
        make_slots(made[language], 1)
    return made


def _shown(page):
    return [title for title in TITLES if title in page]


def test_fair_page_lists_every_language_with_counts_welsh_first(client, fair, surgeries):
    page = client.get(fair.get_absolute_url()).content.decode()

    assert _shown(page) == TITLES
    assert "All languages" in page
    assert page.index("Welsh-medium") < page.index("Bilingual <") < page.index("English-medium")
    assert "(1 surgery)" in page


@pytest.mark.parametrize("language, shown", [
    ("cy", ["Sgwrs am fathemateg"]), ("bilingual", ["Maths in both languages"]), ("en", ["Maths for FE tutors"]),
])
def test_fair_page_shows_only_the_chosen_languages_surgeries(client, fair, surgeries, language, shown):
    response = client.get(fair.get_absolute_url(), {"language": language})
    assert _shown(response.content.decode()) == shown
    assert response.context["language_chosen"] == language


def test_language_and_priority_filters_combine_and_each_link_keeps_the_other(client, fair, surgeries):
    page = client.get(fair.get_absolute_url(), {"theme": "maths", "language": "cy"}).content.decode()
    assert _shown(page) == ["Sgwrs am fathemateg"]
    assert 'href="?theme=maths&amp;language=bilingual#surgeries"' in page  # choosing a language keeps the priority
    assert 'href="?theme=reading&amp;language=cy#surgeries"' in page  # choosing a priority keeps the language
    assert 'href="?language=cy#surgeries">All priorities' in page

    nothing = client.get(fair.get_absolute_url(), {"theme": "reading", "language": "cy"}).content.decode()
    assert _shown(nothing) == []
    assert "No surgeries in this language match your choice." in nothing
    assert '<a href="?language=cy#surgeries">See all surgeries</a>' in nothing


def test_welsh_fair_page_names_the_languages_in_welsh(client, fair, surgeries):
    page = client.get("/cy" + fair.get_absolute_url(), {"language": "cy"}).content.decode()
    assert "Pob iaith" in page and "Cyfrwng Cymraeg" in page and "Dwyieithog" in page
    assert "(1 gymhorthfa)" in page
    assert _shown(page) == ["Sgwrs am fathemateg"]


@pytest.mark.parametrize("value", ["<script>alert(1)</script>", "CY", "welsh", "' OR 1=1 --", "", "c" * 500])
def test_unknown_language_shows_every_surgery_not_an_error(client, fair, surgeries, value):
    response = client.get(fair.get_absolute_url(), {"language": value})

    assert response.status_code == 200
    assert _shown(response.content.decode()) == TITLES
    assert response.context["language_chosen"] is None
    assert "<script>alert(1)</script>" not in response.content.decode()


def test_fair_in_one_language_offers_no_language_choice(client, fair, surgery, slots):
    page = client.get(fair.get_absolute_url()).content.decode()
    assert "Maths teaching excellence" in page
    assert "All languages" not in page
