"""The all-programmes view of offers and the workspace section registry."""

import pytest
from django import forms
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from programmes.choices import OfferStatus
from programmes import sections
from programmes.workspace import selectors
from tests_support import factories


@pytest.mark.django_db
def test_all_offers_shows_every_programmes_offers_on_a_theme_side_by_side(client, django_assert_max_num_queries):
    theme = factories.ThemeFactory(name="Maths", slug="maths")
    maths, fe = factories.ProgrammeFactory(plain_name="Maths hub"), factories.ProgrammeFactory(plain_name="FE maths")
    factories.OfferFactory(programme=maths, title="Hub coaching", themes=[theme])
    factories.OfferFactory(programme=fe, title="FE coaching", themes=[theme])
    factories.OfferFactory(programme=fe, title="Draft elsewhere", themes=[theme], status=OfferStatus.DRAFT)
    worker = factories.RegionalWorkerFactory(programmes=[maths])
    client.force_login(worker.user)

    with django_assert_max_num_queries(12):
        response = client.get(reverse("workspace:all_offers"), {"theme": "maths"})

    columns = {c["programme"].plain_name: [o.title for o in c["offers"]] for c in response.context["columns"]}
    summary = {t.slug: (t.programme_count, t.offer_count) for t in response.context["themes"]}
    assert columns == {"FE maths": ["FE coaching"], "Maths hub": ["Hub coaching"]}
    assert summary["maths"] == (2, 2)
    assert "2 programmes, 2 offers" in response.content.decode()


@pytest.mark.django_db
def test_all_offers_many_offers_paginated_keeping_filters_in_bounded_queries(
    client, monkeypatch, django_assert_max_num_queries
):
    monkeypatch.setattr(selectors, "ALL_OFFERS_PAGE_SIZE", 3)
    theme = factories.ThemeFactory(name="Maths", slug="maths")
    devon, elsewhere = factories.RegionFactory(slug="devon"), factories.RegionFactory(slug="elsewhere")
    hub, fe = factories.ProgrammeFactory(plain_name="A hub"), factories.ProgrammeFactory(plain_name="B FE")
    audiences = [factories.AudienceFactory(), factories.AudienceFactory()]
    for n in range(4):
        factories.OfferFactory(programme=hub, title=f"Hub {n}", themes=[theme], regions=[devon], audiences=audiences)
        factories.OfferFactory(programme=fe, title=f"FE {n}", themes=[theme], regions=[devon], audiences=audiences)
    factories.OfferFactory(programme=fe, title="FE far away", themes=[theme], regions=[elsewhere])
    client.force_login(factories.RegionalWorkerFactory(programmes=[hub]).user)
    url = reverse("workspace:all_offers")

    pages = []
    for number in (1, 2, 3):
        with django_assert_max_num_queries(10):
            pages.append(client.get(url, {"theme": "maths", "region": "devon", "page": number}))

    titles = [[o.title for c in r.context["columns"] for o in c["offers"]] for r in pages]
    assert titles == [["Hub 0", "Hub 1", "Hub 2"], ["Hub 3", "FE 0", "FE 1"], ["FE 2", "FE 3"]]
    second = pages[1].content.decode()
    assert 'href="?theme=maths&amp;region=devon&amp;page=1"' in second
    assert 'href="?theme=maths&amp;region=devon&amp;page=3"' in second
    assert "Offers 4 to 6 of 8, by programme." in second
    assert "(4 offers, 1 on this page)" in second


@pytest.mark.django_db
def test_all_offers_page_queries_do_not_grow_with_the_page(client, monkeypatch, django_assert_num_queries):
    monkeypatch.setattr(selectors, "ALL_OFFERS_PAGE_SIZE", 3)
    theme = factories.ThemeFactory(slug="maths")
    for n in range(4):
        factories.OfferFactory(
            programme=factories.ProgrammeFactory(), themes=[theme], audiences=[factories.AudienceFactory()]
        )
    client.force_login(factories.RegionalWorkerFactory().user)
    url = reverse("workspace:all_offers")

    with CaptureQueriesContext(connection) as first:
        client.get(url, {"theme": "maths", "page": 1})
    with django_assert_num_queries(len(first)):
        response = client.get(url, {"theme": "maths", "page": 2})

    assert [len(c["offers"]) for c in response.context["columns"]] == [1]


@pytest.mark.django_db
def test_all_offers_refused_to_provider_contact(client, provider_contact):
    client.force_login(provider_contact.user)

    assert client.get(reverse("workspace:all_offers")).status_code == 403


class SectionForm(forms.Form):
    x = forms.CharField(label="From a section")


@pytest.mark.django_db
def test_workspace_section_registered_by_another_app_is_included(client, worker, monkeypatch):
    monkeypatch.setitem(sections._sections, sections.WORKSPACE, dict(sections._sections[sections.WORKSPACE]))
    sections.register_section(
        sections.WORKSPACE,
        key="test-bookings",
        template="programmes/form_error_summary.html",
        context=lambda request, w: {"form": SectionForm({})},
        order=30,
    )
    client.force_login(worker.user)

    response = client.get(reverse("workspace:home"))

    assert "programmes/form_error_summary.html" in response.context["section_templates"]
    assert "From a section" in response.content.decode()


@pytest.mark.django_db
def test_summary_check_while_writing_reports_without_saving(client, worker):
    factories.GlossaryTermFactory(acronym="CPD", slug="cpd")
    offer_count = factories.OfferFactory._meta.model.objects.count()
    client.force_login(worker.user)

    response = client.post(reverse("workspace:summary_check"), {"summary": "CPD and QTLS for you. It is free."})

    assert response.context["check"].unknown_acronyms == ["QTLS"]
    assert "QTLS" in response.content.decode()
    assert factories.OfferFactory._meta.model.objects.count() == offer_count


@pytest.mark.django_db
def test_summary_check_refused_to_provider_contact(client, provider_contact):
    client.force_login(provider_contact.user)

    assert client.post(reverse("workspace:summary_check"), {"summary": "x"}).status_code == 403
