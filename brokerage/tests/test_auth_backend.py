"""The signed-in user comes with their profiles: the navigation asks no query of its own."""

import pytest

from brokerage.auth_backends import ProfilesModelBackend
from brokerage.roles import coordinators_group_sync, is_coordinator
from providers.permissions import acting_contact
from tests_support import factories

pytestmark = pytest.mark.django_db


def test_worker_roles_answered_without_queries(worker, django_assert_num_queries):
    with django_assert_num_queries(1):
        user = ProfilesModelBackend().get_user(worker.user.pk)
    with django_assert_num_queries(0):
        assert user.worker_profile == worker
        assert not hasattr(user, "provider_profile")
        assert acting_contact(user) is None


def test_provider_contact_and_organisation_come_with_the_user(provider_contact, django_assert_num_queries):
    with django_assert_num_queries(1):
        user = ProfilesModelBackend().get_user(provider_contact.user.pk)
    with django_assert_num_queries(0):
        contact = acting_contact(user)
        assert contact == provider_contact
        assert contact.organisation.name == provider_contact.organisation.name
        assert not hasattr(user, "worker_profile")


def test_coordinator_answer_asks_the_database():
    user = factories.UserFactory(is_staff=True)
    user.groups.add(coordinators_group_sync())
    staff_only = factories.UserFactory(is_staff=True)

    assert is_coordinator(ProfilesModelBackend().get_user(user.pk)) is True
    assert is_coordinator(ProfilesModelBackend().get_user(staff_only.pk)) is False


def test_inactive_user_is_not_signed_in():
    user = factories.UserFactory(is_active=False)

    assert ProfilesModelBackend().get_user(user.pk) is None
    assert ProfilesModelBackend().get_user(999_999) is None


def test_a_session_id_that_is_not_a_number_signs_nobody_in():
    assert ProfilesModelBackend().get_user("not-a-number") is None
