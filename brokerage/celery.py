import os

from celery import Celery, signals

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "brokerage.settings")

app = Celery("brokerage")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
# Topic packages with their own tasks module.
app.autodiscover_tasks(["brokerage.bulletins", "brokerage.privacy"])


@signals.worker_init.connect
@signals.beat_init.connect
def refuse_unsafe_production_settings(**kwargs):
    from brokerage.production import require_production_settings

    require_production_settings()
