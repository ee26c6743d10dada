from django.conf import settings
from django.urls import reverse

from people.languages import path_without_language
from programmes.words import site_name

from providers.permissions import acting_contact


def site(request):
    """The site's name and the signed-in person's roles, for the navigation."""
    # A request refused before the authentication middleware ran (a 400 for a bad Host) has no user.
    user = getattr(request, "user", None)
    signed_in = user is not None and user.is_authenticated
    return {
        "SITE_NAME": site_name(),
        # The first part of the path after any language ("offers" for /offers/... and /cy/offers/...):
        # which navigation link is the current page.
        "nav_section": path_without_language(request.path_info).split("/", 2)[1],
        "is_worker": signed_in and hasattr(user, "worker_profile"),
        "is_provider": signed_in and acting_contact(user) is not None,
        "is_coordinator": signed_in and user.is_staff,
        # The catalogue and the bulletin are the brokerage's: lower apps' templates link to them through these
        # (in the page's language: /cy/... on a Welsh page).
        "catalogue_url": reverse("catalogue:offer_list"),
        "bulletin_subscribe_url": reverse("bulletins:subscribe"),
    }
