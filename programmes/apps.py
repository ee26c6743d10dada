from django.apps import AppConfig


class ProgrammesConfig(AppConfig):
    name = "programmes"
    verbose_name = "Programmes and offers"

    def ready(self):
        from . import lookups, signals

        signals.connect()
        lookups.register()
