"""Django's model backend, loading the signed-in user with what every page asks of them in one query.

Every page's navigation asks whether the person is a regional worker, a
provider contact or a coordinator; joined and annotated here, those answers
cost no query of their own.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Group
from django.db.models import Exists, OuterRef

from .roles import COORDINATORS


class ProfilesModelBackend(ModelBackend):
    def get_user(self, user_id):
        users = (
            get_user_model()._default_manager.select_related("worker_profile", "provider_profile__organisation")
            .annotate(in_coordinators_group=Exists(Group.objects.filter(user=OuterRef("pk"), name=COORDINATORS)))
        )
        user = users.filter(pk=user_id).first()
        return user if user is not None and self.user_can_authenticate(user) else None
