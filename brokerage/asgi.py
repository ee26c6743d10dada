import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "brokerage.settings")
application = get_asgi_application()

from brokerage.production import require_production_settings  # noqa: E402  (needs settings loaded)

require_production_settings()
