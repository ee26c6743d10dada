from django.urls import path

from . import views_account

app_name = "account"

urlpatterns = [
    path("", views_account.home, name="home"),
    path("plan/add/<int:offer_id>/", views_account.plan_add, name="plan_add"),
    path("plan/<int:pk>/move/", views_account.plan_move, name="plan_move"),
    path("plan/<int:pk>/status/", views_account.plan_status, name="plan_status"),
    path("plan/<int:pk>/remove/", views_account.plan_remove, name="plan_remove"),
    path("plan.csv", views_account.plan_csv, name="plan_csv"),
]
