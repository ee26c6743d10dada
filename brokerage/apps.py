from django.apps import AppConfig
from django.db.models.signals import post_migrate


def sync_coordinators(sender, **kwargs):
    from .roles import coordinators_group_sync

    coordinators_group_sync()


class BrokerageConfig(AppConfig):
    name = "brokerage"
    verbose_name = "Brokerage: enquiries and bulletins"

    def ready(self):
        # Models added later by any app get their permissions into the group too.
        post_migrate.connect(sync_coordinators, sender=self, dispatch_uid="brokerage_sync_coordinators")
        # Insights: demand signals from bookings, plan additions and enquiries.
        from .insights import receivers as insights_receivers

        insights_receivers.connect()
