"""What a serving process or worker needs before it may start with DEBUG off."""

from django.core import checks
from django.core.exceptions import ImproperlyConfigured


def production_setting_problems(settings):
    if settings.DEBUG or settings.TESTING:
        return []
    problems = []
    if not settings.SECRET_KEY_FROM_ENVIRONMENT:
        problems.append("SECRET_KEY must be set when DEBUG is off.")
    if not settings.ALLOWED_HOSTS:
        problems.append("ALLOWED_HOSTS must be set when DEBUG is off.")
    return problems


def require_production_settings():
    """Called by wsgi, asgi and Celery worker/beat start-up: refuse unsafe defaults."""
    from django.conf import settings

    problems = production_setting_problems(settings)
    if problems:
        raise ImproperlyConfigured(" ".join(problems))


@checks.register(checks.Tags.security, deploy=True)
def check_secret_key_from_environment(app_configs, **kwargs):
    from django.conf import settings

    if settings.DEBUG or settings.SECRET_KEY_FROM_ENVIRONMENT:
        return []
    return [
        checks.Error(
            "SECRET_KEY is not set in the environment; a random key would change on every start.",
            hint="Set SECRET_KEY to at least 50 random characters.",
            id="brokerage.E001",
        )
    ]


@checks.register(checks.Tags.security, deploy=True)
def check_shared_cache_for_rate_limits(app_configs, **kwargs):
    """Rate limits count in the default cache: in production it must be Redis, shared by every process."""
    from django.conf import settings

    if settings.DEBUG or settings.REDIS_URL:
        return []
    return [
        checks.Error(
            "The cache is each process's local memory: rate limits would count per process and reset on restart.",
            hint="Set REDIS_URL (the cache is then Redis, shared by every process).",
            id="brokerage.E002",
        )
    ]
