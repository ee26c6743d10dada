"""Response headers that depend on who is signed in."""

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
