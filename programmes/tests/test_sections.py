"""The one registry of the sections of /account/ and /workspace/."""

import pytest
from django.urls import reverse

from programmes import sections

pytestmark = pytest.mark.django_db


@pytest.fixture
def own_registry(monkeypatch):
    """Sections registered by a test are forgotten after it."""
    for page in sections.PAGES:
        monkeypatch.setitem(sections._sections, page, dict(sections._sections[page]))


def test_sections_are_ordered_by_order_then_key(own_registry):
    for page in sections.PAGES:
        sections._sections[page].clear()
    sections.register_section(sections.ACCOUNT, key="zebra", template="z.html", order=20)
    sections.register_section(sections.ACCOUNT, key="alpha", template="a.html", order=20)
    sections.register_section(sections.ACCOUNT, key="first", template="f.html", order=5)
    # Registering again under a key replaces (ready() may run twice), it does not add.
    sections.register_section(sections.ACCOUNT, key="zebra", template="z2.html", order=20)

    assert [(s.key, s.template) for s in sections.sections_of(sections.ACCOUNT)] == [
        ("first", "f.html"), ("alpha", "a.html"), ("zebra", "z2.html"),
    ]
    assert sections.sections_of(sections.WORKSPACE) == []


def test_section_for_a_page_that_takes_none_is_refused():
    with pytest.raises(ValueError, match="No page 'home'"):
        sections.register_section("home", key="x", template="x.html")


def test_registered_section_appears_on_the_account_page_with_its_context(client, provider_contact, own_registry):
    sections.register_section(
        sections.ACCOUNT, key="test-note", template="programmes/tests/section_note.html", order=15,
        context=lambda request, contact: {"test_note": f"Note for {contact.organisation.name}"},
    )
    client.force_login(provider_contact.user)

    response = client.get(reverse("account:home"))

    templates = response.context["account_sections"]
    assert templates.index("programmes/tests/section_note.html") == 1  # after priorities (10), before the plan (20)
    assert f"Note for {provider_contact.organisation.name}" in response.content.decode()


def test_registered_section_appears_on_the_workspace_page(client, worker, own_registry):
    sections.register_section(
        sections.WORKSPACE, key="test-note", template="programmes/tests/section_note.html", order=1,
        context=lambda request, w: {"test_note": f"Note for {w.user.first_name}"},
    )
    client.force_login(worker.user)

    response = client.get(reverse("workspace:home"))

    assert response.context["section_templates"][0] == "programmes/tests/section_note.html"
    assert f"Note for {worker.user.first_name}" in response.content.decode()


def test_the_apps_register_their_sections_in_a_fixed_order():
    assert [s.key for s in sections.sections_of(sections.ACCOUNT)] == [
        "priorities", "plan", "bookings", "bulletin", "my-data",
    ]
    assert [s.key for s in sections.sections_of(sections.WORKSPACE)] == [
        "enquiries", "coordination", "bookings", "my-data",
    ]
