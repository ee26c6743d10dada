from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

from . import views
from .coordination.views import signed_in

# Outside the language prefix: machines ask for it, and it has no words to translate.
urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
]

# Every page in English at its own address and in Welsh under /cy/ (the English ones stay
# exactly as bookmarks and emails have them). Feeds (.ics, Atom) and the admin answer both ways.
urlpatterns += i18n_patterns(
    path("", views.home, name="home"),
    path("accounts/", include("providers.accounts_urls")),
    path("accounts/", include("people.urls")),
    path("events/", include("events.urls")),
    path("admin/", admin.site.urls),
    path("offers/", include("brokerage.catalogue.urls")),
    path("", include("programmes.urls")),
    path("account/", include("providers.urls")),
    path("workspace/enquiries/", include("brokerage.workspace_enquiries")),
    path("workspace/", include("programmes.workspace.urls")),
    path("network/", include("programmes.network.urls")),
    path("bulletins/", include("brokerage.bulletins.urls")),
    path("insights/", include("brokerage.insights.urls")),
    path("coordinators/", include("brokerage.coordination.urls")),
    # Where signing in lands without ?next= (LOGIN_REDIRECT_URL): coordinators go on to their start page.
    path("signed-in/", signed_in, name="signed_in"),
    # /privacy/, /cookies/, /accessibility/, /contact/ and a person's own data.
    path("", include("brokerage.privacy.urls")),
    prefix_default_language=False,
)

handler500 = "brokerage.error_views.server_error"
