"""Project-wide middleware: headers that depend on who is signed in, and requests refused before any view."""

from django.core.exceptions import BadRequest
from django.utils.cache import add_never_cache_headers


class SignedInNoStoreMiddleware:
    """Signed-in pages carry `Cache-Control: private, no-store` (with no-cache): a shared
    or back-button cache must not keep a page that shows someone's organisation,
    bookings or workspace. Anonymous pages keep whatever caching their view chose."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.user.is_authenticated:
            add_never_cache_headers(response)
        return response


# No address of ours carries more in one query value (search words, slugs, dates, `next`); a browser's
# address bar is good for about this much. Forms post their text, which this does not limit.
MAX_QUERY_VALUE_LENGTH = 2000


class RefuseUnreadableInputMiddleware:
    """Answer 400 (the site's page) for a request no view of ours could mean.

    - A NUL character anywhere in the path, the query string or a posted form:
      nothing of ours has a use for one, and PostgreSQL refuses it in any text
      it is sent, so a value carrying it turned into a 500 wherever a view or
      the admin reads a parameter raw. Forms already refuse it in their fields
      (Django's ProhibitNullCharactersValidator); this covers everything read
      around them.
    - A query value longer than MAX_QUERY_VALUE_LENGTH: SQLite refuses a
      search pattern of 50,000 bytes, and no link of ours is that long.

    Uploaded files are not looked into: their readers check them.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path_info or _has_nul(request.GET) or (request.method == "POST" and _has_nul(request.POST)):
            raise BadRequest("A NUL character in the address or the form.")
        if any(len(value) > MAX_QUERY_VALUE_LENGTH for _, values in request.GET.lists() for value in values):
            raise BadRequest(f"A query value longer than {MAX_QUERY_VALUE_LENGTH} characters.")
        return self.get_response(request)


def _has_nul(query):
    return any("\x00" in key or any("\x00" in value for value in values) for key, values in query.lists())
