"""Sign-up and join-request helpers for the providers tests."""

import re

import pytest

from tests_support import factories


def signup_data(region, **overrides):
    data = {
        "first_name": "Hannah",
        "last_name": "Ashworth",
        "email": "hannah.ashworth@exeter-college.example",
        "job_title": "CPD lead",
        "password1": "a-long-passphrase-2026",
        "password2": "a-long-passphrase-2026",
        "organisation": "",
        "new_organisation_name": "",
        "new_organisation_kind": "",
        "new_organisation_region": region.pk,
        "reason": "I lead CPD for the maths team.",
        "email_language": "en-gb",
    }
    data.update(overrides)
    return data


def confirmation_path(message):
    """The path of the confirmation link in an emailed message's text."""
    match = re.search(r"https?://[^/\s]+(/accounts/confirm/[^/\s]+/)", message.body)
    assert match, message.body
    return match.group(1)


@pytest.fixture
def exeter(db):
    return factories.ProviderOrganisationFactory(name="Exeter College", slug="exeter-college")


@pytest.fixture
def signed_up(client, exeter, mailoutbox, django_capture_on_commit_callbacks):
    """Hannah signs up to join Exeter College; returns her user; the confirmation email is in the outbox."""
    from django.contrib.auth import get_user_model

    with django_capture_on_commit_callbacks(execute=True):
        client.post("/accounts/signup/", signup_data(exeter.region, organisation=exeter.pk))
    return get_user_model().objects.get(email="hannah.ashworth@exeter-college.example")
