"""Django's model backend, loading the signed-in user with what every page asks of them in one query.

Every page's navigation asks whether the person is a regional worker, a
provider contact or a coordinator; joined and annotated here, those answers
cost no query of their own.

The query runs on every signed-in request, and building its SQL through the
ORM (three joins and an EXISTS) cost three times as long as running it. So it
is compiled once per database connection object and then only executed, with
the row turned into objects the way the ORM's own iterator does it
(``ModelIterable``); a test compares the result with the ORM's, field by field.
On PostgreSQL it is also a prepared statement, so the server does not plan
the joins again for every request (0.5 ms a query, 0.2 ms prepared).
"""

from weakref import WeakKeyDictionary

from axes.backends import AxesStandaloneBackend
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import Exists, OuterRef
from django.db.models.query import get_related_populators

from .roles import COORDINATORS

# A user id no account has, to find the id's place among the compiled query's parameters.
_PLACEHOLDER_ID = -424242
_STATEMENT = "brokerage_signed_in_user"


def signed_in_users():
    """Users with their worker and provider profiles (and organisation) and the coordinator answer."""
    return (
        get_user_model()._default_manager.select_related("worker_profile", "provider_profile__organisation", "email_confirmation")
        .annotate(in_coordinators_group=Exists(Group.objects.filter(user=OuterRef("pk"), name=COORDINATORS)))
    )


class _CompiledUserQuery:
    def __init__(self, alias):
        self.alias = alias
        compiler = signed_in_users().filter(pk=_PLACEHOLDER_ID).query.get_compiler(using=alias)
        self.sql, params = compiler.as_sql()
        self.params = list(params)
        self.id_position = self.params.index(_PLACEHOLDER_ID)
        select, klass_info = compiler.select, compiler.klass_info
        self.model = klass_info["model"]
        fields = klass_info["select_fields"]
        self.model_slice = slice(fields[0], fields[-1] + 1)
        self.init_list = [column[0].target.attname for column in select[self.model_slice]]
        self.populators = get_related_populators(klass_info, select, alias)
        self.annotations = list(compiler.annotation_col_map.items())
        self.compiler = compiler
        self.converters = compiler.get_converters([column[0] for column in select[: compiler.col_count]])
        self.prepared_on = None  # the driver connection the statement was prepared on

    def _execute(self, cursor, params):
        wrapper = connections[self.alias]
        if wrapper.vendor != "postgresql":
            cursor.execute(self.sql, params)
            return
        if self.prepared_on is not wrapper.connection:
            # Once per database session (a prepared statement outlives a rolled-back
            # transaction), on the driver's own cursor: setup, not a query of the request.
            with wrapper.connection.cursor() as raw:
                raw.execute(f"PREPARE {_STATEMENT} AS "
                            + self.sql % tuple(f"${n}" for n in range(1, len(params) + 1)))
            self.prepared_on = wrapper.connection
        cursor.execute(f"EXECUTE {_STATEMENT} ({', '.join(['%s'] * len(params))})", params)

    def fetch(self, user_id):
        params = list(self.params)
        params[self.id_position] = user_id
        with connections[self.alias].cursor() as cursor:
            self._execute(cursor, params)
            row = cursor.fetchone()
        if row is None:
            return None
        if self.converters:
            row = next(iter(self.compiler.apply_converters([row], self.converters)))
        user = self.model.from_db(self.alias, self.init_list, row[self.model_slice])
        for populator in self.populators:
            populator.populate(row, user)
        for name, position in self.annotations:
            setattr(user, name, row[position])
        return user


# One compiled query per connection object (Django keeps one per thread).
_compiled = WeakKeyDictionary()


def signed_in_user(user_id, alias=DEFAULT_DB_ALIAS):
    connection = connections[alias]
    query = _compiled.get(connection)
    if query is None:
        query = _compiled[connection] = _CompiledUserQuery(alias)
    return query.fetch(query.model._meta.pk.to_python(user_id))


class ProfilesModelBackend(ModelBackend):
    def get_user(self, user_id):
        try:
            user = signed_in_user(user_id)
        except ValidationError:  # a session holding something that is not a user id
            return None
        return user if user is not None and self.user_can_authenticate(user) else None


class SignInLockoutBackend(AxesStandaloneBackend):
    """django-axes's lockout check, first in AUTHENTICATION_BACKENDS; it signs nobody in itself.

    Code that names the first backend when it signs someone in or writes a
    session (sign-up's ``login(..., backend=AUTHENTICATION_BACKENDS[0])``, the
    benchmarks) stores this class in the session, so it loads the user the
    way the profiles backend does instead of failing on the next request.
    """

    def get_user(self, user_id):
        return ProfilesModelBackend().get_user(user_id)
