"""The signed-in user comes with their profiles and coordinator answer: the navigation asks no query."""

import pytest

from brokerage.auth_backends import ProfilesModelBackend
from brokerage.roles import coordinators_group_sync, is_coordinator
from tests_support import factories

pytestmark = pytest.mark.django_db


def test_worker_roles_answered_without_queries(worker, django_assert_num_queries):
    with django_assert_num_queries(1):
        user = ProfilesModelBackend().get_user(worker.user.pk)
    with django_assert_num_queries(0):
        assert user.worker_profile == worker
        assert not hasattr(user, "provider_profile")
        assert not is_coordinator(user)


def test_coordinator_answer_comes_with_the_user(django_assert_num_queries):
    user = factories.UserFactory(is_staff=True)
    user.groups.add(coordinators_group_sync())
    staff_only = factories.UserFactory(is_staff=True)

    loaded, other = ProfilesModelBackend().get_user(user.pk), ProfilesModelBackend().get_user(staff_only.pk)
    with django_assert_num_queries(0):
        assert is_coordinator(loaded)
        assert not is_coordinator(other)
    # A user loaded any other way still gets a true answer, by asking the database.
    plain = type(user).objects.get(pk=user.pk)
    with django_assert_num_queries(1):
        assert is_coordinator(plain) is True


def test_inactive_user_is_not_signed_in():
    user = factories.UserFactory(is_active=False)

    assert ProfilesModelBackend().get_user(user.pk) is None
    assert ProfilesModelBackend().get_user(999_999) is None
