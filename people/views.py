from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from .forms import LanguagePreferencesForm
from .languages import url_in_language
from .middleware import SESSION_KEY
from .services import preferences_of, preferences_save


class SignInView(auth_views.LoginView):
    """Sign-in that goes on to the page asked for, in the language the person last chose."""

    def get_success_url(self):
        url = super().get_success_url()
        language = preferences_of(self.request.user).language
        return url_in_language(url, language) if language else url


@login_required
def preferences(request):
    """Which language the website and the emails are in, for anyone signed in."""
    current = preferences_of(request.user)
    if not current.language:
        current.language = get_language()  # unsaved: what the form offers first
    form = LanguagePreferencesForm(request.POST or None, instance=current)
    if request.method == "POST" and form.is_valid():
        preferences_save(
            user=request.user,
            language=form.cleaned_data["language"],
            email_language=form.cleaned_data["email_language"],
        )
        request.session[SESSION_KEY] = form.cleaned_data["language"]
        messages.success(request, _("Your language preferences are saved."))
        # The same page, in the language just chosen for the website.
        return redirect(url_in_language(reverse("language_preferences"), form.cleaned_data["language"]))
    return render(request, "people/preferences.html", {"form": form, "title": _("Language preferences")})
