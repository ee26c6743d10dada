"""Enquiries in the worker's workspace: listed for their contact, marked answered on the object."""

import pytest
from django.urls import reverse

from brokerage.models import Enquiry
from tests_support import factories


@pytest.fixture
def enquiry(db):
    worker = factories.RegionalWorkerFactory()
    offer = factories.OfferFactory(contact=worker, title="Functional skills maths")
    return factories.EnquiryFactory(offer=offer, contact=worker, name="Sam Provider", message="Any places in March?")


@pytest.mark.django_db
def test_workspace_lists_enquiries_to_the_worker(client, enquiry):
    other = factories.EnquiryFactory(contact=factories.RegionalWorkerFactory(), name="Someone Else")
    client.force_login(enquiry.contact.user)

    response = client.get(reverse("workspace:home"))

    html = response.content.decode()
    assert response.context["workspace_enquiries"] == [enquiry]
    assert response.context["workspace_enquiries_open"] == 1
    assert "Any places in March?" in html and other.name not in html


@pytest.mark.django_db
def test_enquiry_mark_answered_by_its_worker(client, enquiry):
    client.force_login(enquiry.contact.user)

    response = client.post(reverse("workspace_enquiries:mark_answered", args=[enquiry.pk]))

    enquiry.refresh_from_db()
    assert response.status_code == 302
    assert enquiry.answered_at is not None


@pytest.mark.django_db
def test_enquiry_mark_answered_twice_keeps_first_time(client, enquiry):
    client.force_login(enquiry.contact.user)
    client.post(reverse("workspace_enquiries:mark_answered", args=[enquiry.pk]))
    first = Enquiry.objects.get(pk=enquiry.pk).answered_at

    client.post(reverse("workspace_enquiries:mark_answered", args=[enquiry.pk]))

    assert Enquiry.objects.get(pk=enquiry.pk).answered_at == first


@pytest.mark.django_db
def test_enquiry_mark_answered_by_another_worker_is_404_and_unchanged(client, enquiry):
    client.force_login(factories.RegionalWorkerFactory().user)

    response = client.post(reverse("workspace_enquiries:mark_answered", args=[enquiry.pk]))

    enquiry.refresh_from_db()
    assert response.status_code == 404
    assert enquiry.answered_at is None


@pytest.mark.django_db
def test_enquiry_mark_answered_by_provider_refused_and_get_not_allowed(client, enquiry, provider_contact):
    client.force_login(provider_contact.user)
    refused = client.post(reverse("workspace_enquiries:mark_answered", args=[enquiry.pk]))
    client.force_login(enquiry.contact.user)
    by_get = client.get(reverse("workspace_enquiries:mark_answered", args=[enquiry.pk]))

    enquiry.refresh_from_db()
    assert (refused.status_code, by_get.status_code) == (403, 405)
    assert enquiry.answered_at is None
