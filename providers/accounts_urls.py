"""Sign in, sign out, password change and reset, and sign-up for provider contacts."""

from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy
from django.utils.translation import gettext_lazy as _

from people.views import SignInView
from programmes.ratelimits import limit_posts

from .forms import OutboxPasswordResetForm, SignInForm
from .views import email_confirm_view, signup


def form_page(view, title, **kwargs):
    return view.as_view(template_name="registration/form_page.html", extra_context={"title": title}, **kwargs)


def message_page(view, title, message):
    return view.as_view(
        template_name="registration/message_page.html", extra_context={"title": title, "message": message}
    )


# Per address, and per email address so nobody can flood someone's inbox with reset links.
password_reset = limit_posts(
    "password_reset", ip="RATELIMIT_PASSWORD_RESET_IP", email="RATELIMIT_PASSWORD_RESET_EMAIL"
)(
    form_page(
        auth_views.PasswordResetView,
        _("Reset your password"),
        form_class=OutboxPasswordResetForm,
        success_url=reverse_lazy("password_reset_done"),
    )
)

urlpatterns = [
    path("login/", form_page(
            SignInView, _("Sign in"), redirect_authenticated_user=True, authentication_form=SignInForm
        ), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("signup/", signup, name="signup"),
    path("confirm/<str:token>/", email_confirm_view, name="email_confirm"),
    path(
        "password/change/",
        form_page(auth_views.PasswordChangeView, _("Change your password")),
        name="password_change",
    ),
    path(
        "password/change/done/",
        message_page(auth_views.PasswordChangeDoneView, _("Password changed"), _("Your password has been changed.")),
        name="password_change_done",
    ),
    path("password/reset/", password_reset, name="password_reset"),
    path(
        "password/reset/sent/",
        message_page(
            auth_views.PasswordResetDoneView,
            _("Check your email"),
            _("If an account uses that address, we have sent it a link to choose a new password."),
        ),
        name="password_reset_done",
    ),
    path(
        "password/reset/<uidb64>/<token>/",
        form_page(auth_views.PasswordResetConfirmView, _("Choose a new password")),
        name="password_reset_confirm",
    ),
    path(
        "password/reset/done/",
        message_page(
            auth_views.PasswordResetCompleteView, _("Password reset"), _("Your new password is set. You can sign in now.")
        ),
        name="password_reset_complete",
    ),
]
