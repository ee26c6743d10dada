"""The bulletin section of a provider contact's /account/ page (registered in BrokerageConfig.ready)."""

from .forms import PreferencesForm
from .selectors import subscriber_for_user


def account_context(request, contact):
    subscriber = subscriber_for_user(request.user)
    form = None
    if subscriber is not None and subscriber.is_active:
        form = PreferencesForm(
            initial={"themes": list(subscriber.themes.all()), "regions": list(subscriber.regions.all()),
                     "language": subscriber.language},
            auto_id="id_bulletin_%s",
        )
    return {"bulletin_subscriber": subscriber, "bulletin_form": form}
