from django.contrib import admin
from django.urls import include, path

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("accounts/", include("providers.accounts_urls")),
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
    # /privacy/, /cookies/, /accessibility/, /contact/ and a person's own data.
    path("", include("brokerage.privacy.urls")),
]

handler500 = "brokerage.error_views.server_error"
