from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.shortcuts import redirect, render

from programmes.ratelimits import limit_posts

from .forms import ProviderSignupForm
from .services import provider_contact_register


@limit_posts("signup", ip="RATELIMIT_SIGNUP")
def signup(request):
    if request.user.is_authenticated:
        return redirect("home")
    form = ProviderSignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = provider_contact_register(form=form)
        login(request, user, backend=settings.AUTHENTICATION_BACKENDS[0])
        messages.success(request, "Welcome! Tell us your organisation's priorities to see the offers that fit.")
        return redirect("/account/")
    return render(request, "registration/signup.html", {"form": form, "title": "Create a provider account"})
