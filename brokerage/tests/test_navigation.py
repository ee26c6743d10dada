"""The navigation marks the section the page belongs to, for sighted and screen-reader users alike."""

import re

import pytest

from brokerage.roles import coordinators_group_sync
from tests_support import factories

pytestmark = pytest.mark.django_db


def _current_links(html):
    """Links the main navigation marks as the current page."""
    main_nav = html.split('aria-label="Main"', 1)[1].split("</nav>", 1)[0]
    return re.findall(r'<a class="nav-link active" aria-current="page" href="([^"]+)"', main_nav)


@pytest.mark.parametrize("path", ["/offers/", "/events/", "/programmes/", "/glossary/", "/network/"])
def test_public_section_is_marked_current(client, path):
    assert _current_links(client.get(path).content.decode()) == [path]


def test_home_marks_no_section(client):
    assert _current_links(client.get("/").content.decode()) == []


def test_signed_in_sections_are_marked_current(client, worker, provider_contact):
    coordinator = factories.UserFactory(is_staff=True)
    coordinator.groups.add(coordinators_group_sync())
    for user, path in [(worker.user, "/workspace/"), (provider_contact.user, "/account/"), (coordinator, "/insights/")]:
        client.force_login(user)
        assert _current_links(client.get(path).content.decode()) == [path]


def _footer(html):
    return html.split('<footer class="site-footer', 1)[1].split("</footer>", 1)[0]


def test_each_page_marks_its_own_section_when_the_frame_is_kept(client):
    # The navigation is rendered once per section and kept (base.html's {% cache %}): asked in turn, each is right.
    for path in ["/offers/", "/events/", "/offers/", "/programmes/", "/events/"]:
        assert _current_links(client.get(path).content.decode()) == [path]
    assert _current_links(client.get("/").content.decode()) == []


def test_the_kept_frame_follows_the_language_and_who_is_signed_in(client, provider_contact):
    # /programmes/, not the catalogue: the catalogue keeps whole anonymous pages as well.
    english = client.get("/programmes/").content.decode()
    welsh = client.get("/cy/programmes/").content.decode()
    assert "Stay in touch" in _footer(english) and "Cadw mewn cysylltiad" not in _footer(english)
    assert "Cadw mewn cysylltiad" in _footer(welsh) and "Stay in touch" not in _footer(welsh)
    assert ">Cynigion</a>" in welsh and ">Find CPD</a>" in english
    assert "Your account" not in _footer(english)

    client.force_login(provider_contact.user)
    signed_in = _footer(client.get("/programmes/").content.decode())
    assert "Your account" in signed_in and "My organisation" in signed_in
    assert "Eich cyfrif" in _footer(client.get("/cy/programmes/").content.decode())

    client.logout()
    assert "Your account" not in _footer(client.get("/programmes/").content.decode())


def test_a_new_site_name_shows_in_the_kept_footer(client, settings):
    assert "Cornwall CPD Hub" not in _footer(client.get("/programmes/").content.decode())
    settings.SITE_NAME = "Cornwall CPD Hub"
    assert "Cornwall CPD Hub" in _footer(client.get("/programmes/").content.decode())
