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
