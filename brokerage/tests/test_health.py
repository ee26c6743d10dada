import json

import pytest
from django.db import DatabaseError


@pytest.mark.django_db
def test_healthz_database_up_answers_200(client):
    response = client.get("/healthz")

    assert response.status_code == 200
    body = json.loads(response.content)
    assert body["database"] == "ok"
    assert body["cache"] == "ok"
    assert body["status"] == "ok"


@pytest.mark.django_db
def test_healthz_database_down_answers_503(client, monkeypatch):
    def broken_cursor(*args, **kwargs):
        raise DatabaseError("connection refused")

    monkeypatch.setattr("brokerage.health.connection.cursor", broken_cursor)

    response = client.get("/healthz")

    assert response.status_code == 503
    body = json.loads(response.content)
    assert body["database"] == "error: DatabaseError"
    assert body["status"] == "error"


def test_healthz_broker_unreachable_reports_error(settings, monkeypatch):
    from brokerage import health

    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"
    from brokerage.celery import app

    monkeypatch.setattr(app.conf, "broker_url", "redis://127.0.0.1:1/0")
    assert health.broker_status().startswith("error")
