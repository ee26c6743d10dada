from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.utils.translation import get_language

from .middleware import SESSION_KEY
from .services import language_remember, preferences_of


@receiver(user_logged_in, dispatch_uid="people.language_on_sign_in")
def language_on_sign_in(sender, request, user, **kwargs):
    """Keep the person's language in their session; a first sign-in records the page's language."""
    language = preferences_of(user).language
    if not language:
        language = get_language()
        language_remember(user=user, language=language)
    if request is not None and hasattr(request, "session"):
        request.session[SESSION_KEY] = language
