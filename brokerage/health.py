"""Is each part we depend on answering? Each check returns "ok", "not configured" or an error.

The overall state: "ok" when everything answers; "degraded" when the database
does but the cache or the broker does not (pages are still served; emails wait
in the outbox); "down" without the database.
"""

import hmac
import os

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
    if settings.EMBEDDED_BROKER:
        # The filesystem transport always "connects"; what can fail is its folder.
        folder = settings.CELERY_BROKER_TRANSPORT_OPTIONS["data_folder_out"]
        return "ok" if os.access(folder, os.W_OK) else "error: queue folder not writable"
    from brokerage.celery import app

    try:
        with app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
    except Exception as exc:  # kombu raises many transport-specific errors
        return f"error: {exc.__class__.__name__}"
    return "ok"


def health_report():
    """(overall state, each dependency's state)."""
    checks = {"database": database_status(), "cache": cache_status(), "broker": broker_status()}
    if checks["database"] != "ok":
        state = "down"
    elif any(value.startswith("error") for value in checks.values()):
        state = "degraded"
    else:
        state = "ok"
    return state, checks


def is_operator(request):
    """The request carries `Authorization: Bearer <HEALTHZ_TOKEN>`; never true while the token is unset."""
    token = settings.HEALTHZ_TOKEN
    scheme, _, given = request.headers.get("Authorization", "").partition(" ")
    if not token or scheme.lower() != "bearer":
        return False
    return hmac.compare_digest(given.strip().encode(), token.encode())
