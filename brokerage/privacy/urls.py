"""The statements (/privacy/, /cookies/, /accessibility/, /contact/) and a person's own data."""

from django.urls import path

from . import views

app_name = "privacy"

urlpatterns = [
    path("privacy/", views.privacy_statement, name="privacy"),
    path("privacy/my-data/", views.my_data, name="my_data"),
    path("privacy/my-data/download/", views.my_data_download, name="my_data_download"),
    path("privacy/my-data/erase/", views.my_data_erase, name="my_data_erase"),
    path("cookies/", views.cookies_statement, name="cookies"),
    path("accessibility/", views.accessibility_statement, name="accessibility"),
    path("contact/", views.contact, name="contact"),
]
