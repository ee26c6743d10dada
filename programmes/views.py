from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext

from . import selectors


def programme_list(request):
    return render(
        request,
        "programmes/programme_list.html",
        {"programmes": selectors.programmes_listed(), "title": gettext("Programmes")},
    )


def programme_detail(request, slug):
    programme = selectors.programme_for_detail(slug)
    if programme is None:
        raise Http404("No such programme")
    offers = list(selectors.programme_offers(programme))
    cutoff = selectors.review_cutoff()
    for offer in offers:
        offer.review_overdue = offer.last_reviewed_on < cutoff
    return render(
        request,
        "programmes/programme_detail.html",
        {
            "programme": programme,
            "offers": offers,
            "workers": selectors.programme_workers(programme),
            "title": programme.plain_name,
        },
    )


def glossary(request):
    return render(
        request,
        "programmes/glossary.html",
        {"terms": selectors.glossary_terms(), "title": gettext("Glossary: what the acronyms mean")},
    )
