from django.apps import AppConfig


class EventsConfig(AppConfig):
    name = "events"
    verbose_name = "Joint events"

    def ready(self):
        # The provider's /account/ (providers) and the worker's /workspace/
        # (programmes) sit below events, so events adds its sections to them.
        from programmes.sections import ACCOUNT, WORKSPACE, register_section

        from .sections import account_bookings_context, workspace_bookings_context

        register_section(ACCOUNT, key="bookings", template="events/includes/account_bookings.html",
                         context=account_bookings_context, order=30)
        register_section(WORKSPACE, key="bookings", template="events/includes/workspace_bookings.html",
                         context=workspace_bookings_context, order=30)
