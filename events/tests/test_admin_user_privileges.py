"""The Users admin: coordinators manage people within the portal's roles, never anyone or anything above.

A coordinator cannot tick the superuser or staff flags, grant raw
permissions or a group that is not a portal role, and cannot see, change,
set the password of or delete a superuser (or other staff outside the role).
Each refusal is checked in the database afterwards. Superusers keep the
stock admin. The rule itself is brokerage.permissions.
"""

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.urls import reverse
from django.utils import timezone

from brokerage.roles import COORDINATORS
from tests_support import factories

pytestmark = pytest.mark.django_db
User = get_user_model()


@pytest.fixture
def superuser(db):
    return factories.UserFactory(
        username="root@example.org", first_name="Rita", last_name="Root", is_staff=True, is_superuser=True
    )


@pytest.fixture
def auditors(db):
    """A group that is not a portal role, holding a permission coordinators lack."""
    group = Group.objects.create(name="Auditors")
    group.permissions.add(Permission.objects.get(codename="delete_user"))
    return group


@pytest.fixture
def delete_user_permission(db):
    return Permission.objects.get(content_type__app_label="auth", codename="delete_user")


def snapshot(user):
    """What the user is, read again from the database."""
    user = User.objects.get(pk=user.pk)
    return {
        "username": user.username, "first_name": user.first_name, "last_name": user.last_name, "email": user.email,
        "password": user.password, "is_active": user.is_active, "is_staff": user.is_staff,
        "is_superuser": user.is_superuser, "groups": sorted(user.groups.values_list("name", flat=True)),
        "user_permissions": sorted(user.user_permissions.values_list("codename", flat=True)),
    }


def change_form_data(user, **overrides):
    """The user's admin change form as a browser posts it, unchanged but for `overrides`."""
    joined = timezone.localtime(user.date_joined)
    data = {
        "username": user.username, "first_name": user.first_name, "last_name": user.last_name,
        "email": user.email, "date_joined_0": joined.date().isoformat(), "date_joined_1": joined.strftime("%H:%M:%S"),
        "last_login_0": "", "last_login_1": "", "groups": list(user.groups.values_list("pk", flat=True)),
    }
    if user.is_active:
        data["is_active"] = "on"
    data.update(overrides)
    return data


def change(client, user, **overrides):
    return client.post(reverse("admin:auth_user_change", args=[user.pk]), change_form_data(user, **overrides))


def add(client, username, **extra):
    return client.post(reverse("admin:auth_user_add"), {
        "username": username, "usable_password": "true",
        "password1": "a-long-new-passphrase-42", "password2": "a-long-new-passphrase-42", **extra,
    })


def set_password(client, user):
    return client.post(reverse("admin:auth_user_password_change", args=[user.pk]), {
        "usable_password": "true", "password1": "a-long-new-passphrase-42", "password2": "a-long-new-passphrase-42",
    })


# Coordinators: the form offers nothing above the role.


def test_user_change_form_for_a_coordinator_leaves_out_the_privilege_fields(staff, provider, auditors):
    response = staff.get(reverse("admin:auth_user_change", args=[provider.pk]))

    form = response.context["adminform"].form
    assert set(form.fields) == {
        "username", "password", "first_name", "last_name", "email", "is_active", "groups", "last_login", "date_joined",
    }
    assert [group.name for group in form.fields["groups"].queryset] == [COORDINATORS]
    assert 'name="is_superuser"' not in response.content.decode()


def test_user_change_by_a_coordinator_making_themselves_superuser_is_ignored(
    staff, coordinator, delete_user_permission
):
    before = snapshot(coordinator)

    response = change(
        staff, coordinator, is_superuser="on", is_staff="on", user_permissions=[delete_user_permission.pk],
        first_name="Cora",
    )

    assert response.status_code == 302
    assert snapshot(coordinator) == {**before, "first_name": "Cora"}


def test_user_change_by_a_coordinator_making_another_superuser_is_ignored(staff, provider):
    before = snapshot(provider)

    response = change(staff, provider, is_superuser="on", first_name="Petra")

    assert response.status_code == 302
    assert snapshot(provider) == {**before, "first_name": "Petra"}


def test_user_change_by_a_coordinator_setting_the_staff_flag_is_ignored(staff, provider):
    before = snapshot(provider)

    response = change(staff, provider, is_staff="on", last_name="Patel")

    assert response.status_code == 302
    assert snapshot(provider) == {**before, "last_name": "Patel"}


def test_user_change_by_a_coordinator_granting_a_raw_permission_is_ignored(staff, provider, delete_user_permission):
    before = snapshot(provider)

    response = change(staff, provider, user_permissions=[delete_user_permission.pk], email="priya@new.example")

    assert response.status_code == 302
    assert snapshot(provider) == {**before, "email": "priya@new.example"}


def test_user_change_by_a_coordinator_adding_a_non_role_group_is_refused(staff, provider, auditors):
    before = snapshot(provider)

    response = change(staff, provider, groups=[auditors.pk], first_name="Petra")

    errors = response.context["adminform"].form.errors
    assert list(errors) == ["groups"]
    assert "Select a valid choice" in errors["groups"][0]
    assert snapshot(provider) == before


def test_user_add_by_a_coordinator_with_superuser_flags_creates_a_plain_user(
    staff, auditors, delete_user_permission
):
    response = add(
        staff, "new@provider.example", is_superuser="on", is_staff="on", groups=[auditors.pk],
        user_permissions=[delete_user_permission.pk],
    )

    created = User.objects.get(username="new@provider.example")
    assert response.status_code == 302
    assert (created.is_superuser, created.is_staff) == (False, False)
    assert list(created.groups.all()) == []
    assert list(created.user_permissions.all()) == []


# Coordinators: people above them are out of sight and reach.


def test_user_changelist_for_a_coordinator_lists_only_people_within_the_roles(
    staff, coordinator, superuser, provider, worker, auditors, delete_user_permission
):
    other_coordinator = factories.UserFactory(username="cora@example.org", is_staff=True)
    other_coordinator.groups.add(Group.objects.get(name=COORDINATORS))
    factories.UserFactory(username="staff-only@example.org", is_staff=True)
    factories.UserFactory(username="auditor@example.org").groups.add(auditors)
    factories.UserFactory(username="raw@example.org").user_permissions.add(delete_user_permission)

    response = staff.get(reverse("admin:auth_user_changelist"))

    listed = sorted(user.username for user in response.context["cl"].result_list)
    assert listed == sorted([coordinator.username, other_coordinator.username, provider.username, worker.user.username])


def test_user_change_page_of_a_superuser_for_a_coordinator_is_not_found(staff, superuser):
    response = staff.get(reverse("admin:auth_user_change", args=[superuser.pk]))

    assert response.status_code == 302
    assert response.url == reverse("admin:index")
    assert "adminform" not in (response.context or {})


def test_user_change_by_a_coordinator_of_a_superuser_changes_nothing(staff, superuser):
    before = snapshot(superuser)

    response = change(staff, superuser, first_name="Hacked", email="attacker@example.org", is_active="")

    assert response.status_code == 302
    assert response.url == reverse("admin:index")
    assert snapshot(superuser) == before


@pytest.fixture(params=["superuser", "staff outside the role", "raw permission", "other group"])
def above_coordinators(request, superuser, auditors, delete_user_permission):
    """Someone a coordinator may not manage, one kind per run."""
    if request.param == "superuser":
        return superuser
    user = factories.UserFactory(is_staff=request.param == "staff outside the role")
    if request.param == "raw permission":
        user.user_permissions.add(delete_user_permission)
    if request.param == "other group":
        user.groups.add(auditors)
    return user


def test_user_password_page_of_someone_above_a_coordinator_is_not_found(staff, above_coordinators):
    before = snapshot(above_coordinators)
    url = reverse("admin:auth_user_password_change", args=[above_coordinators.pk])

    page = staff.get(url)
    response = set_password(staff, above_coordinators)

    assert (page.status_code, response.status_code) == (404, 404)
    assert snapshot(above_coordinators) == before


def test_user_change_by_a_coordinator_of_someone_above_changes_nothing(staff, above_coordinators):
    before = snapshot(above_coordinators)

    response = change(staff, above_coordinators, first_name="Hacked", is_superuser="", is_staff="")

    assert response.url == reverse("admin:index")
    assert snapshot(above_coordinators) == before


@pytest.fixture
def deleting_coordinator(client, coordinator, delete_user_permission):
    """A coordinator who may also delete users (the group does not give it): still not superusers."""
    coordinator.user_permissions.add(delete_user_permission)
    client.force_login(coordinator)
    return client


def test_user_delete_by_a_coordinator_of_a_superuser_is_refused(deleting_coordinator, superuser):
    response = deleting_coordinator.post(reverse("admin:auth_user_delete", args=[superuser.pk]), {"post": "yes"})

    assert response.url == reverse("admin:index")
    assert User.objects.filter(pk=superuser.pk, is_superuser=True).exists()


def test_delete_selected_by_a_coordinator_including_a_superuser_deletes_only_the_other(
    deleting_coordinator, superuser, provider
):
    deleting_coordinator.post(reverse("admin:auth_user_changelist"), {
        "action": "delete_selected", "_selected_action": [superuser.pk, provider.pk], "post": "yes",
    })

    assert list(User.objects.filter(pk__in=[superuser.pk, provider.pk]).values_list("pk", flat=True)) == [
        superuser.pk
    ]


def test_user_admin_object_permissions_for_a_coordinator_refuse_a_superuser(
    rf, deleting_coordinator, coordinator, superuser, provider
):
    # Behind the queryset, which already hides superusers: the checks the pages make on the object.
    user_admin = admin.site._registry[User]
    request = rf.get("/")
    request.user = coordinator

    refused = [user_admin.has_view_permission(request, superuser), user_admin.has_change_permission(request, superuser),
               user_admin.has_delete_permission(request, superuser)]
    allowed = [user_admin.has_view_permission(request, provider), user_admin.has_change_permission(request, provider),
               user_admin.has_delete_permission(request, provider)]

    assert (refused, allowed) == ([False, False, False], [True, True, True])


# Coordinators: the work of the role still gets done.


def test_user_add_by_a_coordinator_creates_the_account_and_opens_it(staff):
    response = add(staff, "sam@college.example")

    created = User.objects.get(username="sam@college.example")
    assert response.url == reverse("admin:auth_user_change", args=[created.pk])
    assert created.check_password("a-long-new-passphrase-42")
    assert (created.is_superuser, created.is_staff) == (False, False)


def test_user_change_by_a_coordinator_edits_a_workers_name_and_email(staff, worker):
    user = worker.user

    response = change(staff, user, first_name="Wendy", last_name="Worker", email="wendy@programme.example")

    saved = User.objects.get(pk=user.pk)
    assert response.status_code == 302
    assert (saved.first_name, saved.last_name, saved.email) == ("Wendy", "Worker", "wendy@programme.example")


def test_user_change_by_a_coordinator_adding_the_coordinators_group_makes_them_staff(staff, provider):
    coordinators = Group.objects.get(name=COORDINATORS)

    change(staff, provider, groups=[coordinators.pk])

    after = snapshot(provider)
    assert (after["groups"], after["is_staff"], after["is_superuser"]) == ([COORDINATORS], True, False)


def test_user_change_by_a_coordinator_removing_the_coordinators_group_ends_staff(staff):
    other = factories.UserFactory(username="cora@example.org", is_staff=True)
    other.groups.add(Group.objects.get(name=COORDINATORS))

    change(staff, other, groups=[])

    after = snapshot(other)
    assert (after["groups"], after["is_staff"]) == ([], False)


def test_user_password_set_by_a_coordinator_for_a_provider_contact(staff, provider):
    response = set_password(staff, provider)

    assert response.url == reverse("admin:auth_user_change", args=[provider.pk])
    assert User.objects.get(pk=provider.pk).check_password("a-long-new-passphrase-42")


# Superusers: the stock admin, everything included.


def test_user_change_form_for_a_superuser_offers_every_field_and_group(admin_client, provider, auditors):
    response = admin_client.get(reverse("admin:auth_user_change", args=[provider.pk]))

    form = response.context["adminform"].form
    assert {"is_staff", "is_superuser", "user_permissions", "groups"} <= set(form.fields)
    assert sorted(group.name for group in form.fields["groups"].queryset) == sorted([COORDINATORS, "Auditors"])


def test_user_change_by_a_superuser_grants_every_privilege(admin_client, provider, auditors, delete_user_permission):
    response = change(
        admin_client, provider, is_superuser="on", is_staff="on", groups=[auditors.pk],
        user_permissions=[delete_user_permission.pk],
    )

    after = snapshot(provider)
    assert response.status_code == 302
    assert (after["is_superuser"], after["is_staff"]) == (True, True)
    assert (after["groups"], after["user_permissions"]) == (["Auditors"], ["delete_user"])


def test_user_change_by_a_superuser_keeps_staff_without_the_coordinators_group(admin_client, provider):
    change(admin_client, provider, is_staff="on")

    assert snapshot(provider)["is_staff"] is True


def test_user_password_set_by_a_superuser_for_another_superuser(admin_client, superuser):
    response = set_password(admin_client, superuser)

    assert response.url == reverse("admin:auth_user_change", args=[superuser.pk])
    assert User.objects.get(pk=superuser.pk).check_password("a-long-new-passphrase-42")


def test_user_delete_by_a_superuser_of_another_superuser(admin_client, superuser):
    response = admin_client.post(reverse("admin:auth_user_delete", args=[superuser.pk]), {"post": "yes"})

    assert response.url == reverse("admin:auth_user_changelist")
    assert not User.objects.filter(pk=superuser.pk).exists()
