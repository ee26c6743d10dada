from django.urls import path

from . import views_account, views_membership

app_name = "account"

urlpatterns = [
    path("", views_account.home, name="home"),
    path("plan/add/<int:offer_id>/", views_account.plan_add, name="plan_add"),
    path("plan/<int:pk>/move/", views_account.plan_move, name="plan_move"),
    path("plan/<int:pk>/status/", views_account.plan_status, name="plan_status"),
    path("plan/<int:pk>/remove/", views_account.plan_remove, name="plan_remove"),
    path("plan.csv", views_account.plan_csv, name="plan_csv"),
    path("confirm/resend/", views_membership.confirmation_resend, name="confirmation_resend"),
    path("join/", views_membership.join_request, name="join_request"),
    path("join/withdraw/", views_membership.join_withdraw, name="join_withdraw"),
    path("contacts/", views_membership.contacts, name="contacts"),
    path("contacts/requests/<int:pk>/approve/", views_membership.request_approve, name="request_approve"),
    path("contacts/requests/<int:pk>/decline/", views_membership.request_decline, name="request_decline"),
    path("contacts/<int:pk>/remove/", views_membership.contact_remove, name="contact_remove"),
    path("leave/", views_membership.leave, name="leave"),
]
