"""The signed-in user comes with their profiles and coordinator answer: the navigation asks no query."""

import pytest
from django.db import connection

from brokerage.auth_backends import ProfilesModelBackend, signed_in_users
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


def _fields(instance):
    return {field.attname: getattr(instance, field.attname) for field in instance._meta.concrete_fields}


@pytest.mark.parametrize("role", ["worker", "provider", "coordinator", "plain"])
def test_compiled_query_gives_what_the_orm_gives(role, worker, provider_contact):
    """The per-connection compiled query builds the same objects as the ORM's select_related query."""
    user = {"worker": worker.user, "provider": provider_contact.user, "plain": factories.UserFactory()}.get(role)
    if role == "coordinator":
        user = factories.UserFactory(is_staff=True)
        user.groups.add(coordinators_group_sync())

    for _ in range(2):  # compiled on the first call, reused on the second
        loaded = ProfilesModelBackend().get_user(user.pk)
        expected = signed_in_users().get(pk=user.pk)
        assert type(loaded) is type(expected)
        assert _fields(loaded) == _fields(expected)
        assert loaded.in_coordinators_group is expected.in_coordinators_group is (role == "coordinator")
        for profile in ("worker_profile", "provider_profile"):
            assert hasattr(loaded, profile) == hasattr(expected, profile) == (role in profile)
        if role == "provider":
            assert _fields(loaded.provider_profile) == _fields(expected.provider_profile)
            assert _fields(loaded.provider_profile.organisation) == _fields(expected.provider_profile.organisation)
        if role == "worker":
            assert _fields(loaded.worker_profile) == _fields(expected.worker_profile)
        assert not loaded._state.adding and loaded._state.db == "default"


def test_a_session_id_that_is_not_a_number_signs_nobody_in():
    assert ProfilesModelBackend().get_user("not-a-number") is None


@pytest.mark.django_db(transaction=True)
def test_a_new_database_connection_gets_the_statement_again(worker, django_assert_num_queries):
    """On PostgreSQL the query is a prepared statement of the database session: a new session prepares it again."""
    first = ProfilesModelBackend().get_user(worker.user.pk)
    connection.close()
    with django_assert_num_queries(1):
        again = ProfilesModelBackend().get_user(worker.user.pk)
    assert again.pk == first.pk and again.worker_profile == worker
