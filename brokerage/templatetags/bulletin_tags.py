"""The bulletin preferences section of a provider contact's /account/ page."""

from django import template

from ..bulletins.forms import PreferencesForm
from ..bulletins.selectors import subscriber_for_user

register = template.Library()


@register.inclusion_tag("bulletins/_account_preferences.html", takes_context=True)
def bulletin_preferences(context):
    request = context["request"]
    subscriber = subscriber_for_user(request.user)
    form = None
    if subscriber is not None and subscriber.is_active:
        form = PreferencesForm(
            initial={"themes": list(subscriber.themes.all()), "regions": list(subscriber.regions.all())},
            auto_id="id_bulletin_%s",
        )
    return {"request": request, "subscriber": subscriber, "form": form, "csrf_token": context.get("csrf_token")}
