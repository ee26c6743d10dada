from django.conf import settings
from django.contrib import messages
from django.contrib.messages import get_messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.cache import patch_vary_headers
from django.utils.translation import get_language, gettext

from programmes.cache import cached
from programmes.ratelimits import limit_posts
from programmes.selectors import offer_for_detail, offer_is_past, review_cutoff, today
from providers.permissions import acting_contact

from events.selectors import surgeries_with_programme

from brokerage.cache_keys import query_digest
from brokerage.insights.services import catalogue_page_signal, record_catalogue_search, record_offer_signal

from .forms import EnquiryForm
from .selectors import catalogue_page, provider_lens
from .services import enquiry_create
from .emails import enquiry_answerer


def offer_list(request):
    # htmx asks for the results and the counts only; without JavaScript (or when
    # htmx restores history) the whole page comes.
    partial = bool(request.htmx) and not request.htmx.boosted and not request.htmx.history_restore_request
    template = "catalogue/_results.html" if partial else "catalogue/offer_list.html"

    def render_page():
        context = catalogue_page(params=request.GET, user=request.user)
        return render(request, template, context).content, catalogue_page_signal(context)

    key = _shared_page_key(request, partial)
    if key is None:
        content, signal = render_page()
    else:
        # A page that looks the same to every anonymous visitor is rendered once
        # per catalogue version and day (a change to any offer renews the
        # version): the unfiltered catalogue always, filtered and searched
        # pages unless CATALOGUE_PAGE_CACHE is off.
        content, signal = cached(key, render_page, accept=_is_page)
    if not _typing_or_repeat(request):
        record_catalogue_search(request, **signal)  # insights: one INSERT at most (never for the plain listing)
    response = HttpResponse(content)
    patch_vary_headers(response, ["HX-Request"])
    return response


def _is_page(value):
    """A cached page this code can serve: (content, insights signal)."""
    return isinstance(value, tuple) and len(value) == 2 and isinstance(value[0], bytes) and isinstance(value[1], dict)


def _typing_or_repeat(request):
    """True for htmx refreshes that static/js/catalogue.js marks as not a new search.

    Those are the live refresh while someone types in the search box
    (half-typed words such as "num", "numer" are not demand) and the same search
    sent again at once (Enter fires "change" and then "submit"). Headers, never
    query parameters: htmx pushes the address, which must stay clean and
    shareable. The page is the same either way, so the page cache ignores them.
    """
    return request.headers.get("X-Search-Typing") == "1" or request.headers.get("X-Search-Repeat") == "1"


SHAREABLE_PARAMS = {"sort", "per_page", "page", "past"}


def _shared_page_key(request, partial):
    """A cache key when the page is the same for everyone who asks for it, else None."""
    if request.user.is_authenticated or len(get_messages(request)):
        return None
    # The language too: /cy/offers/ and /offers/ are different pages (words, links, switch).
    day = f"{get_language()}:{today().isoformat()}"
    plain = not set(request.GET) - SHAREABLE_PARAMS and not any(len(values) > 1 for values in request.GET.lists())
    if plain:
        params = "&".join(f"{k}={request.GET[k][:20]}" for k in sorted(request.GET))
        return f"page:{day}:{int(partial)}:{params}"
    if not settings.CATALOGUE_PAGE_CACHE:
        return None
    # Filtered or searched: keyed by the whole query string (every parameter
    # shows in the page's links), sorted so that equal queries share a key.
    return f"page:{day}:{int(partial)}:q:{query_digest(request.GET)}"


def _get_offer_or_404(slug, user):
    offer = offer_for_detail(slug, user)
    if offer is None:
        raise Http404("No such offer")
    return offer


@limit_posts("enquiry", ip="RATELIMIT_ENQUIRY", email="RATELIMIT_ENQUIRY_EMAIL")
def offer_detail(request, slug):
    offer = _get_offer_or_404(slug, request.user)
    if request.method == "POST":
        form = EnquiryForm(request.POST)
        if form.is_valid():
            enquiry = enquiry_create(offer=offer, user=request.user, **form.cleaned_data)
            who = enquiry_answerer(enquiry)  # as the acknowledgement email names them
            who = who[:1].upper() + who[1:]
            messages.success(
                request,
                gettext(
                    "Thank you: your question has been sent. %(who)s will answer you at %(email)s, "
                    "usually within %(days)s working days. We have emailed you a copy."
                ) % {"who": who, "email": form.cleaned_data["email"], "days": settings.ENQUIRY_ANSWER_WORKING_DAYS},
            )
            return redirect(offer.get_absolute_url())
    else:
        initial = {}
        if request.user.is_authenticated:
            initial = {"name": request.user.get_full_name(), "email": request.user.email}
            profile = acting_contact(request.user)
            if profile is not None:
                initial["organisation"] = profile.organisation.name
        form = EnquiryForm(initial=initial)
    lens = provider_lens(request.user)
    if request.method == "GET":
        record_offer_signal(request, offer)  # insights: one INSERT (themes are prefetched)
    return render(
        request,
        "catalogue/offer_detail.html",
        {
            "offer": offer,
            "form": form,
            "lens": lens,
            "in_plan": bool(lens and offer.pk in lens.plan_offer_ids),
            "review_overdue": offer.last_reviewed_on < review_cutoff(),
            "is_past": offer_is_past(offer),
            "surgeries": surgeries_with_programme(offer.programme),
            "title": offer.title,
        },
    )
