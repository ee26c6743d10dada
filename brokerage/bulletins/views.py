"""Public bulletin pages: the archive, subscribing, confirming, unsubscribing."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from programmes.ratelimits import limit_posts
from programmes.redirects import safe_next
from providers.permissions import email_confirmed

from . import selectors, services
from .content import BulletinContent
from ..models import Subscriber
from .forms import PreferencesForm, SubscribeForm


def bulletin_list(request):
    page = Paginator(selectors.sent_bulletins(), 20).get_page(request.GET.get("page"))
    return render(request, "bulletins/bulletin_list.html", {"page": page, "title": _("Joint bulletin")})


def bulletin_detail(request, slug):
    bulletin = get_object_or_404(selectors.sent_bulletins(), slug=slug)
    content = BulletinContent(bulletin).for_everyone()
    return render(
        request, "bulletins/bulletin_detail.html", {"bulletin": bulletin, "content": content, "title": bulletin.title}
    )


@require_http_methods(["GET", "POST"])
# Per address, and per email address so nobody can flood someone's inbox with confirmations.
@limit_posts("subscribe", ip="RATELIMIT_SUBSCRIBE_IP", email="RATELIMIT_SUBSCRIBE_EMAIL")
def subscribe(request):
    user = request.user if request.user.is_authenticated else None
    initial = {"email": user.email, "name": user.get_full_name()} if user else {}
    form = SubscribeForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        services.subscription_request(
            email=data["email"],
            name=data["name"],
            organisation=data["organisation"],
            themes=list(data["themes"]),
            regions=list(data["regions"]),
            language=data["language"],
            # Linked to the account only if it has proved it owns this address.
            user=user if user and user.email.lower() == data["email"].lower() and email_confirmed(user) else None,
        )
        # The same answer whether or not the address was known: no address probing.
        return render(
            request,
            "bulletins/message.html",
            {
                "title": _("Check your inbox"),
                "message": _(
                    "We have sent a confirmation link to %(email)s. "
                    "Follow it within 7 days to start receiving the joint bulletin."
                ) % {"email": data["email"]},
            },
        )
    return render(request, "bulletins/subscribe.html", {"form": form, "title": _("Get the joint bulletin")})


@require_http_methods(["GET", "POST"])
def confirm(request, token):
    try:
        payload = services.confirmation_payload(token)
    except signing.SignatureExpired:
        return _bad_link(request, _("This confirmation link has expired. Please subscribe again."))
    except signing.BadSignature:
        return _bad_link(request, _("This confirmation link is not valid. Please check it was copied whole, or subscribe again."))
    if request.method == "POST":
        try:
            services.subscription_confirm(token=token)
        except signing.BadSignature:
            return _bad_link(request, _("This confirmation link is not valid. Please subscribe again."))
        return render(
            request,
            "bulletins/message.html",
            {"title": _("You are subscribed"), "message": _(
                "Thank you: the next joint bulletin will come to %(email)s. Every issue has a link to stop it."
            ) % {"email": payload["email"]}},
        )
    # GET only shows a button: mail scanners that follow links confirm nothing.
    # The name was typed by whoever subscribed, maybe not the address's owner: it is shown here, before the
    # owner agrees, because every bulletin greets them with it.
    return render(request, "bulletins/confirm.html", {
        "email": payload["email"], "name": payload.get("name", ""), "title": _("Confirm your subscription"),
    })


def _bad_link(request, message):
    return render(
        request, "bulletins/message.html", {"title": _("This link does not work"), "message": message, "resubscribe": True},
        status=400,
    )


# RFC 8058: mail clients POST "List-Unsubscribe=One-Click" with no cookies,
# so there is no CSRF token to check; the unguessable token is the credential.
@csrf_exempt
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token):
    subscriber = get_object_or_404(Subscriber.objects.only("unsubscribed_at"), token=token)
    if request.method == "POST":
        services.unsubscribe(token=token)
        return render(
            request,
            "bulletins/message.html",
            {"title": _("You are unsubscribed"), "message": _("That address will get no more joint bulletins."),
             "resubscribe": True},
        )
    # GET unsubscribes nobody (link scanners); the button POSTs here.
    return render(request, "bulletins/unsubscribe.html", {"subscriber": subscriber, "title": _("Stop the joint bulletin")})


# Test copies and previews link here; mail clients may one-click POST to it too.
@csrf_exempt
@require_http_methods(["GET", "POST"])
def unsubscribe_test(request):
    return render(
        request,
        "bulletins/message.html",
        {
            "title": _("This was a test email"),
            "message": _("Nothing was unsubscribed. In the real bulletin, this link lets each reader stop it in one click."),
        },
    )


@login_required
@require_POST
def preferences(request):
    """Provider contacts change their bulletin themes and regions from /account/."""
    subscriber = selectors.subscriber_for_user(request.user)
    if subscriber is None or subscriber.confirmed_at is None:
        messages.error(request, _("Subscribe first: we will send you a confirmation link."))
        return redirect("bulletins:subscribe")
    form = PreferencesForm(request.POST)
    if form.is_valid():
        services.preferences_update(
            subscriber=subscriber, themes=form.cleaned_data["themes"], regions=form.cleaned_data["regions"],
            language=form.cleaned_data["language"],
        )
        messages.success(request, _("Your bulletin preferences are saved."))
    else:
        messages.error(request, _("Those preferences could not be saved; please choose again."))
    return redirect(safe_next(request, "/account/"))
