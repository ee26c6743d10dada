"""Every admin changelist loads for a coordinator and is refused to others."""

import pytest
from django.contrib import admin
from django.urls import reverse

from brokerage.admin_site import MACHINERY

PORTAL_APPS = {"programmes", "providers", "events", "brokerage"}
CHANGELISTS = sorted(
    f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist"
    for model in admin.site._registry
    if model._meta.app_label in PORTAL_APPS
)


def test_every_portal_model_is_in_the_admin():
    from django.apps import apps

    registered = {m for m in admin.site._registry}
    missing = [
        m.__name__
        for app in PORTAL_APPS
        for m in apps.get_app_config(app).get_models()
        if m not in registered and not m.__name__.startswith("Historical")
    ]
    assert missing == []


# The machinery tables are for superusers only (brokerage/tests/test_admin_site.py).
WORK_CHANGELISTS = [
    name for name in CHANGELISTS
    if name.removeprefix("admin:").removesuffix("_changelist").replace("_", ".", 1) not in MACHINERY
]


@pytest.mark.django_db
@pytest.mark.parametrize("url_name", WORK_CHANGELISTS)
def test_admin_changelist_coordinator_sees_it(client, coordinator, url_name):
    client.force_login(coordinator)

    response = client.get(reverse(url_name))

    assert response.status_code == 200
    assert b"Select" in response.content or b"0 " in response.content


@pytest.mark.django_db
@pytest.mark.parametrize("url_name", CHANGELISTS)
def test_admin_changelist_provider_contact_refused(client, provider_contact, url_name):
    client.force_login(provider_contact.user)

    response = client.get(reverse(url_name))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))
