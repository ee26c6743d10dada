"""Remember the language a signed-in person reads the portal in."""

from django.utils.translation import get_language

from .services import language_remember

SESSION_KEY = "people_language"


class RememberLanguageMiddleware:
    """When a signed-in person reads a page in a language other than the one remembered (they used
    the language switch), store it: their next sign-in takes them to that language.

    The session holds the remembered language, so a page in the same language costs no query.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if (
            request.method == "GET"
            and response.status_code == 200
            and response.get("Content-Type", "").startswith("text/html")
            and user is not None
            and user.is_authenticated
        ):
            language = get_language()
            if request.session.get(SESSION_KEY) != language:
                language_remember(user=user, language=language)
                request.session[SESSION_KEY] = language
        return response
