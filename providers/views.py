from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.core import signing
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from programmes.ratelimits import limit_posts

from .forms import ProviderSignupForm
from .services import MembershipError, email_confirm, email_confirmation_payload, provider_account_register


@limit_posts("signup", ip="RATELIMIT_SIGNUP")
def signup(request):
    if request.user.is_authenticated:
        return redirect(settings.LOGIN_REDIRECT_URL)  # where signing in lands
    form = ProviderSignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = provider_account_register(form=form, language=get_language())
        except MembershipError as refusal:
            form.add_error("email", refusal.message)
        else:
            login(request, user, backend=settings.AUTHENTICATION_BACKENDS[0])
            messages.success(
                request,
                _("Welcome! We have sent a link to %(email)s: follow it to confirm your address.") % {"email": user.email},
            )
            return redirect("account:home")
    return render(request, "registration/signup.html", {"form": form, "title": _("Create a provider account")})


@require_http_methods(["GET", "POST"])
def email_confirm_view(request, token):
    """The emailed link shows a button; confirming is a POST, so mail scanners that open links confirm nothing."""
    if request.method == "POST":
        try:
            email_confirm(token=token)
        except signing.BadSignature:
            pass
        else:
            messages.success(request, _("Thank you: your email address is confirmed."))
            return redirect("account:home" if request.user.is_authenticated else "login")
    else:
        try:  # only to say at once whether the link still works; the POST checks again
            email_confirmation_payload(token)
        except signing.BadSignature:
            pass
        else:
            return render(request, "providers/email_confirm.html", {"title": _("Confirm your email address")})
    return render(
        request,
        "registration/message_page.html",
        {
            "title": _("This link does not work"),
            "message": _("The link has expired or is not complete. Sign in and ask for a new one from your account page."),
        },
        status=400,
    )
