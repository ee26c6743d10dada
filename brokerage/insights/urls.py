from django.urls import path

from . import views

app_name = "insights"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("export/<slug:table>.csv", views.export_csv, name="export"),
    path("duplicates/", views.duplicates, name="duplicates"),
    path("duplicates/<int:first>/<int:second>/", views.duplicate_compare, name="duplicate_compare"),
    path("evaluations/", views.evaluations, name="evaluations"),
    path("evaluations/summary/", views.evaluation_summary, name="evaluation_summary"),
    path("r/<str:token>/", views.tracked_redirect, name="tracked_redirect"),
]
