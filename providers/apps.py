from django.apps import AppConfig


class ProvidersConfig(AppConfig):
    name = "providers"
    verbose_name = "Provider organisations"

    def ready(self):
        # The /account/ page's own sections; their context comes from the page's view.
        from programmes.sections import ACCOUNT, register_section

        register_section(ACCOUNT, key="priorities", template="providers/account_priorities.html", order=10)
        register_section(ACCOUNT, key="plan", template="providers/account_plan.html", order=20)
