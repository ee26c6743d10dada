from django.apps import AppConfig
from django.db.models.signals import post_migrate


def sync_coordinators(sender, **kwargs):
    from .roles import coordinators_group_sync

    coordinators_group_sync()


class BrokerageConfig(AppConfig):
    name = "brokerage"
    verbose_name = "Brokerage: enquiries and bulletins"

    def ready(self):
        from . import production  # noqa: F401  (registers the deploy check on SECRET_KEY)

        # Models added later by any app get their permissions into the group too.
        post_migrate.connect(sync_coordinators, sender=self, dispatch_uid="brokerage_sync_coordinators")
        # Sections of the provider's /account/ (providers) and the worker's /workspace/
        # (programmes), both below us: see programmes/sections.py.
        from programmes.sections import ACCOUNT, WORKSPACE, register_section

        # The catalogue's cache keys carry a fingerprint of its code, templates and facets.
        from .catalogue import shape

        shape.register()

        from .bulletins.sections import account_context as bulletin_context
        from .insights.duplicates import workspace_context as coordination_context
        from .workspace_enquiries import workspace_context as enquiries_context

        register_section(ACCOUNT, key="bulletin", template="bulletins/_account_preferences.html",
                         context=bulletin_context, order=40)
        register_section(WORKSPACE, key="enquiries", template="enquiries/workspace_enquiries.html",
                         context=enquiries_context, order=20)
        register_section(WORKSPACE, key="coordination", template="insights/workspace_coordination.html",
                         context=coordination_context, order=25)
        # Download or erase one's own data (brokerage.privacy), last on both pages.
        for page in (ACCOUNT, WORKSPACE):
            register_section(page, key="my-data", template="privacy/_my_data_actions.html", order=90)
        # Insights: demand signals from bookings, plan additions and enquiries.
        from .insights import receivers as insights_receivers

        insights_receivers.connect()
