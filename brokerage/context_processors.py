from django.conf import settings


def site(request):
    """The site's name and the signed-in person's roles, for the navigation."""
    user = request.user
    return {
        "SITE_NAME": settings.SITE_NAME,
        # The first part of the path ("offers" for /offers/...): which navigation link is the current page.
        "nav_section": request.path.split("/", 2)[1],
        "is_worker": user.is_authenticated and hasattr(user, "worker_profile"),
        "is_provider": user.is_authenticated and hasattr(user, "provider_profile"),
        "is_coordinator": user.is_authenticated and user.is_staff,
    }
