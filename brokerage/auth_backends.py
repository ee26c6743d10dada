"""Django's model backend, loading the signed-in user with the profiles every page asks about.

Every page's navigation asks whether the person is a regional worker or a
provider contact (with a proven address): joined here with `select_related`,
those answers cost no query of their own. Whether a staff member is a
coordinator is asked of the database when needed (staff are few).
"""

from axes.backends import AxesStandaloneBackend
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import ValidationError


def signed_in_users():
    """Users with their worker and provider profiles (and organisation) and their email confirmation."""
    return get_user_model()._default_manager.select_related(
        "worker_profile", "provider_profile__organisation", "email_confirmation"
    )


class ProfilesModelBackend(ModelBackend):
    def get_user(self, user_id):
        try:
            user = signed_in_users().get(pk=user_id)
        except (get_user_model().DoesNotExist, ValueError, ValidationError):
            # No such user, or a session holding something that is not a user id.
            return None
        return user if self.user_can_authenticate(user) else None


class SignInLockoutBackend(AxesStandaloneBackend):
    """django-axes's lockout check, first in AUTHENTICATION_BACKENDS; it signs nobody in itself.

    Code that names the first backend when it signs someone in or writes a
    session (sign-up's ``login(..., backend=AUTHENTICATION_BACKENDS[0])``, the
    benchmarks) stores this class in the session, so it loads the user the
    way the profiles backend does instead of failing on the next request.
    """

    def get_user(self, user_id):
        return ProfilesModelBackend().get_user(user_id)
