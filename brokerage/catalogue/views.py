from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.cache import patch_vary_headers

from programmes.selectors import offer_for_detail, offer_is_past, review_cutoff

from brokerage.insights.services import record_catalogue_page, record_offer_signal

from .forms import EnquiryForm
from .selectors import provider_lens
from .selectors import catalogue_page
from .services import enquiry_create


def offer_list(request):
    context = catalogue_page(params=request.GET, user=request.user)
    record_catalogue_page(request, context)  # insights: one INSERT at most
    # htmx asks for the results and the counts only; without JavaScript the whole page comes.
    template = "catalogue/_results.html" if request.htmx and not request.htmx.boosted else "catalogue/offer_list.html"
    response = render(request, template, context)
    patch_vary_headers(response, ["HX-Request"])
    return response


def _get_offer_or_404(slug, user):
    offer = offer_for_detail(slug, user)
    if offer is None:
        raise Http404("No such offer")
    return offer


def offer_detail(request, slug):
    offer = _get_offer_or_404(slug, request.user)
    if request.method == "POST":
        form = EnquiryForm(request.POST)
        if form.is_valid():
            enquiry_create(offer=offer, user=request.user, **form.cleaned_data)
            who = offer.contact.name if offer.contact else "The brokerage team"
            messages.success(
                request,
                f"Thank you: your question has been sent. {who} will answer you at {form.cleaned_data['email']}.",
            )
            return redirect(offer.get_absolute_url())
    else:
        initial = {}
        if request.user.is_authenticated:
            initial = {"name": request.user.get_full_name(), "email": request.user.email}
            profile = getattr(request.user, "provider_profile", None)
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
            "title": offer.title,
        },
    )
