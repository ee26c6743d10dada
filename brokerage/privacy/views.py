"""Thin views: the statements, and a signed-in person's download and erasure of their data."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache

from . import services
from .forms import EraseConfirmForm
from .retention import retention_statements


def privacy_statement(request):
    return render(request, "privacy/privacy.html", {
        "title": _("Privacy notice"),
        "retention": retention_statements(),
        "CONTACT_EMAIL": settings.CONTACT_EMAIL,
    })


def cookies_statement(request):
    session_days, csrf_days = settings.SESSION_COOKIE_AGE // 86400, settings.CSRF_COOKIE_AGE // 86400
    cookies = [
        {
            "name": settings.SESSION_COOKIE_NAME,
            "purpose": _("Keeps you signed in as you move from page to page."),
            "expires": ngettext(
                "%(days)d day after you sign in, or when you sign out",
                "%(days)d days after you sign in, or when you sign out",
                session_days,
            ) % {"days": session_days},
        },
        {
            "name": settings.CSRF_COOKIE_NAME,
            "purpose": _(
                "Checks that a form you send (booking, enquiry, subscription) came from this website, "
                "not from another site pretending to be you."
            ),
            "expires": ngettext("%(days)d day", "%(days)d days", csrf_days) % {"days": csrf_days},
        },
        {
            "name": "messages",
            "purpose": _("Carries a short confirmation (such as “Saved”) to the next page you see."),
            "expires": _("when you close your browser, or as soon as the message has been shown"),
        },
    ]
    return render(request, "privacy/cookies.html", {"title": _("Cookies"), "cookies": cookies})


def accessibility_statement(request):
    return render(request, "privacy/accessibility.html", {
        "title": _("Accessibility statement"), "CONTACT_EMAIL": settings.CONTACT_EMAIL,
    })


def contact(request):
    return render(request, "privacy/contact.html", {"title": _("Contact us"), "CONTACT_EMAIL": settings.CONTACT_EMAIL})


@login_required
def my_data(request):
    return render(request, "privacy/my_data.html", {"title": _("Your data")})


@login_required
@never_cache
def my_data_download(request):
    data = services.person_data_export(user=request.user)
    response = HttpResponse(services.export_json(data), content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{services.export_filename(user=request.user)}"'
    return response


@login_required
def my_data_erase(request):
    form = EraseConfirmForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.person_erase(user=request.user)
        except services.ErasureRefused as refused:
            messages.error(request, refused.message)
            return redirect("privacy:my_data")
        logout(request)
        messages.success(
            request, _("Your account and the data that named you have been erased. Thank you for using the portal.")
        )
        return redirect("home")
    return render(request, "privacy/my_data_erase.html", {"title": _("Delete your account"), "form": form})
