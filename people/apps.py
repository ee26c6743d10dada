from django.apps import AppConfig


class PeopleConfig(AppConfig):
    """What belongs to a person whatever their role: their language preferences.

    The lowest layer, so that every app's emails and pages may read it.
    """

    default_auto_field = "django.db.models.BigAutoField"
    name = "people"

    def ready(self):
        from . import receivers  # noqa: F401  (connects the sign-in receiver)
