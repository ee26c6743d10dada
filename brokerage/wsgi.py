import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "brokerage.settings")
application = get_wsgi_application()

from brokerage.production import require_production_settings  # noqa: E402  (needs settings loaded)

require_production_settings()
