"""Who may manage which user accounts (brokerage.permissions): one rule for the list and for each account."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission

from brokerage.permissions import groups_grantable_by, may_manage_user, user_fields_editable_by, users_manageable_by
from brokerage.roles import COORDINATORS, coordinators_group_sync, staff_status_sync
from tests_support import factories

pytestmark = pytest.mark.django_db
User = get_user_model()


@pytest.fixture
def people(coordinator, worker, provider_contact):
    other_coordinator = factories.UserFactory(username="cora@example.org", is_staff=True)
    other_coordinator.groups.add(coordinators_group_sync())
    auditors = Group.objects.create(name="Auditors")
    return {
        "coordinator": coordinator,
        "other coordinator": other_coordinator,
        "worker": worker.user,
        "provider contact": provider_contact.user,
        "plain": factories.UserFactory(username="plain@example.org"),
        "superuser": factories.UserFactory(username="root@example.org", is_staff=True, is_superuser=True),
        "staff outside the role": factories.UserFactory(username="staff@example.org", is_staff=True),
        "raw permission": _with_permission(factories.UserFactory(username="raw@example.org"), "delete_user"),
        "other group": _in_group(factories.UserFactory(username="auditor@example.org"), auditors),
    }


def _with_permission(user, codename):
    user.user_permissions.add(Permission.objects.get(content_type__app_label="auth", codename=codename))
    return user


def _in_group(user, group):
    user.groups.add(group)
    return user


WITHIN_THE_ROLES = ["coordinator", "other coordinator", "worker", "provider contact", "plain"]


def test_users_manageable_by_a_coordinator_are_those_within_the_roles(people):
    manageable = users_manageable_by(people["coordinator"])

    assert sorted(manageable.values_list("username", flat=True)) == sorted(
        people[kind].username for kind in WITHIN_THE_ROLES
    )


def test_may_manage_user_for_a_coordinator_agrees_with_the_list(people):
    answers = {kind: may_manage_user(people["coordinator"], user) for kind, user in people.items()}

    assert answers == {kind: kind in WITHIN_THE_ROLES for kind in people}


def test_may_manage_user_for_a_superuser_is_everyone(people):
    superuser = people["superuser"]

    answers = {kind: may_manage_user(superuser, user) for kind, user in people.items()}

    assert answers == {kind: True for kind in people}
    assert users_manageable_by(superuser).count() == User.objects.count()


def test_user_fields_editable_by_a_coordinator_leave_out_the_privileges(coordinator):
    fields = ("username", "is_active", "is_staff", "is_superuser", "groups", "user_permissions")

    assert user_fields_editable_by(coordinator, fields) == ("username", "is_active", "groups")


def test_user_fields_editable_by_a_superuser_are_all():
    superuser = User(is_staff=True, is_superuser=True)
    fields = ("username", "is_staff", "is_superuser", "user_permissions")

    assert user_fields_editable_by(superuser, fields) == fields


def test_groups_grantable_by_a_coordinator_are_the_portal_roles(people):
    assert list(groups_grantable_by(people["coordinator"]).values_list("name", flat=True)) == [COORDINATORS]
    assert sorted(groups_grantable_by(people["superuser"]).values_list("name", flat=True)) == ["Auditors", COORDINATORS]


def test_staff_status_sync_follows_the_coordinators_group(people):
    joined, left = people["plain"], people["other coordinator"]
    joined.groups.add(Group.objects.get(name=COORDINATORS))
    left.groups.clear()

    staff_status_sync(user=joined)
    staff_status_sync(user=left)

    assert (User.objects.get(pk=joined.pk).is_staff, User.objects.get(pk=left.pk).is_staff) == (True, False)


def test_staff_status_sync_leaves_a_superuser_staff(people):
    staff_status_sync(user=people["superuser"])

    assert User.objects.get(pk=people["superuser"].pk).is_staff is True
