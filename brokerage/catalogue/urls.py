from django.urls import path

from . import views
from .feeds import NewOffersFeed

app_name = "catalogue"

urlpatterns = [
    path("", views.offer_list, name="offer_list"),
    path("feed/", NewOffersFeed(), name="feed"),
    path("<slug:slug>/", views.offer_detail, name="offer_detail"),
]
