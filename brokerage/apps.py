from django.apps import AppConfig
from django.db.models.signals import post_migrate


def sync_coordinators(sender, **kwargs):
    from .roles import coordinators_group_sync

    coordinators_group_sync()


def _no_context(request, worker):
    return {}


class BrokerageConfig(AppConfig):
    name = "brokerage"
    verbose_name = "Brokerage: enquiries and bulletins"

    def ready(self):
        from . import production  # noqa: F401  (registers the deploy check on SECRET_KEY)

        # Models added later by any app get their permissions into the group too.
        post_migrate.connect(sync_coordinators, sender=self, dispatch_uid="brokerage_sync_coordinators")
        # Register the catalogue's Celery tasks with workers (not an app, so not autodiscovered).
        from .catalogue import tasks  # noqa: F401

        # The catalogue's cache keys carry a fingerprint of its code, templates and facets.
        from .catalogue import shape

        shape.register()

        # The provider's /account/ (providers, below us) shows their bulletin preferences.
        from providers.views_account import register_account_section

        register_account_section("providers/account_bulletin.html")
        # Download or erase one's own data (brokerage.privacy), on /account/ and /workspace/.
        register_account_section("privacy/_my_data_actions.html")
        # The worker's workspace (in programmes) lists their enquiries through this section.
        from programmes.workspace.sections import register_workspace_section

        from .workspace_enquiries import workspace_context

        register_workspace_section(
            key="enquiries", template="programmes/workspace_enquiries.html", context=workspace_context, order=20
        )
        # Insights: demand signals from bookings, plan additions and enquiries.
        from .insights import receivers as insights_receivers

        insights_receivers.connect()
        from .insights.duplicates import workspace_context as coordination_context

        register_workspace_section(
            key="coordination",
            template="programmes/workspace_coordination.html",
            context=coordination_context,
            order=25,
        )
        register_workspace_section(
            key="my-data", template="privacy/_my_data_actions.html", context=_no_context, order=90
        )
