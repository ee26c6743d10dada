"""Is each part we depend on answering? Each check returns "ok", "not configured" or an error."""

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError, connection


def database_status():
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as exc:
        return f"error: {exc.__class__.__name__}"
    return "ok"


def cache_status():
    try:
        cache.set("healthz", "1", 5)
        ok = cache.get("healthz") == "1"
    except Exception as exc:  # any backend error means the cache is not answering
        return f"error: {exc.__class__.__name__}"
    return "ok" if ok else "error: value not kept"


def broker_status():
    if not settings.CELERY_BROKER_URL:
        return "not configured (tasks run in-process)"
    from brokerage.celery import app

    try:
        with app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
    except Exception as exc:  # kombu raises many transport-specific errors
        return f"error: {exc.__class__.__name__}"
    return "ok"
