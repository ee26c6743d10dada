from django.apps import AppConfig


class EventsConfig(AppConfig):
    name = "events"
    verbose_name = "Joint events"

    def ready(self):
        # The provider's /account/ (providers) and the worker's /workspace/
        # (programmes) sit below events, so events adds its sections to them.
        # The sections' templates load events_tags, which reads the bookings.
        from providers.views_account import register_account_section

        register_account_section("providers/account_bookings.html")
        from programmes.workspace.sections import register_workspace_section

        register_workspace_section(
            key="bookings", template="programmes/workspace_bookings.html", context=_no_context, order=30
        )


def _no_context(request, worker):
    return {}
