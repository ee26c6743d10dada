from django.urls import path

from . import views

app_name = "network"

urlpatterns = [
    path("", views.worker_list, name="worker_list"),
    path("<slug:slug>/", views.worker_detail, name="worker_detail"),
]
