"""The all-programmes view of offers and the workspace section registry."""

import pytest
from django import forms
from django.urls import reverse

from programmes.choices import OfferStatus
from programmes.workspace import sections
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
def test_all_offers_refused_to_provider_contact(client, provider_contact):
    client.force_login(provider_contact.user)

    assert client.get(reverse("workspace:all_offers")).status_code == 403


class SectionForm(forms.Form):
    x = forms.CharField(label="From a section")


@pytest.mark.django_db
def test_workspace_section_registered_by_another_app_is_included(client, worker, monkeypatch):
    monkeypatch.setattr(sections, "_sections", dict(sections._sections))
    sections.register_workspace_section(
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
