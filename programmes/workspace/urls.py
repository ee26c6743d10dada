from django.urls import path

from . import views

app_name = "workspace"

urlpatterns = [
    path("", views.home, name="home"),
    path("profile/", views.profile_edit, name="profile"),
    path("all-offers/", views.all_offers, name="all_offers"),
    path("offers/check-summary/", views.summary_check, name="summary_check"),
    path("offers/new/", views.offer_create, name="offer_create"),
    path("offers/<int:pk>/", views.offer_detail, name="offer_detail"),
    path("offers/<int:pk>/edit/", views.offer_edit, name="offer_edit"),
    path("offers/<int:pk>/publish/", views.offer_publish, name="offer_publish"),
    path("offers/<int:pk>/retire/", views.offer_retire, name="offer_retire"),
    path("offers/<int:pk>/reviewed/", views.offer_mark_reviewed, name="offer_reviewed"),
]
