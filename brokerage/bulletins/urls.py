from django.urls import path

from . import views

app_name = "bulletins"

urlpatterns = [
    path("", views.bulletin_list, name="bulletin_list"),
    path("subscribe/", views.subscribe, name="subscribe"),
    path("subscribe/confirm/<str:token>/", views.confirm, name="confirm"),
    # Before the token pattern; real tokens are 32 random characters, never this word.
    path("unsubscribe/test-email/", views.unsubscribe_test, name="unsubscribe_test"),
    # Tokens are URL-safe base64 (new_token): anything else, a NUL included, is simply not found.
    path("unsubscribe/<slug:token>/", views.unsubscribe, name="unsubscribe"),
    path("preferences/", views.preferences, name="preferences"),
    path("<slug:slug>/", views.bulletin_detail, name="bulletin_detail"),
]
