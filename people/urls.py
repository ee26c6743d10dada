from django.urls import path

from . import views

# Included under /accounts/ by brokerage/urls.py: the person's own settings, whatever their role.
urlpatterns = [
    path("preferences/language/", views.preferences, name="language_preferences"),
]
