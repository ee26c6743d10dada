"""GET /healthz: the overall state for everyone, each dependency's state for the operator only."""

import json

import pytest
from django.db import DatabaseError

from brokerage import health

OPERATOR_TOKEN = "operator-token-0123456789abcdef"
FAILING = "error: ConnectionError"


@pytest.fixture
def healthz_token(settings):
    settings.HEALTHZ_TOKEN = OPERATOR_TOKEN
    return OPERATOR_TOKEN


def get_healthz(client, token=None):
    headers = {"Authorization": f"Bearer {token}"} if token is not None else {}
    response = client.get("/healthz", headers=headers)
    return response.status_code, json.loads(response.content)


@pytest.mark.django_db
def test_healthz_all_up_answers_ok_without_details(client):
    status, body = get_healthz(client)

    assert (status, body) == (200, {"status": "ok"})


@pytest.mark.django_db
def test_healthz_cache_unreachable_answers_degraded(client, settings, healthz_token):
    # A real Redis client against a port nothing listens on.
    settings.CACHES = {"default": {"BACKEND": "django_redis.cache.RedisCache", "LOCATION": "redis://127.0.0.1:1/1",
                                   "OPTIONS": {"IGNORE_EXCEPTIONS": True}}}

    status, body = get_healthz(client, healthz_token)

    assert status == 200  # still serving
    assert body["status"] == "degraded"
    assert body["checks"]["database"] == "ok"
    assert body["checks"]["cache"] == "error: value not kept"  # the cache swallows the outage; nothing is kept


@pytest.mark.django_db
def test_healthz_broker_down_answers_degraded(client, monkeypatch, healthz_token):
    monkeypatch.setattr(health, "broker_status", lambda: FAILING)

    status, body = get_healthz(client, healthz_token)

    assert (status, body) == (200, {"status": "degraded", "checks": {"database": "ok", "cache": "ok", "broker": FAILING}})


@pytest.mark.django_db
def test_healthz_database_down_answers_503_down(client, monkeypatch, healthz_token):
    def broken_cursor(*args, **kwargs):
        raise DatabaseError("connection refused")

    monkeypatch.setattr("brokerage.health.connection.cursor", broken_cursor)
    monkeypatch.setattr(health, "broker_status", lambda: FAILING)

    status, body = get_healthz(client, healthz_token)

    assert status == 503
    assert body["status"] == "down"
    assert body["checks"]["database"] == "error: DatabaseError"


@pytest.mark.django_db
def test_healthz_database_down_public_answer_names_no_dependency(client, monkeypatch):
    monkeypatch.setattr(health, "database_status", lambda: "error: OperationalError")

    status, body = get_healthz(client)

    assert (status, body) == (503, {"status": "down"})


@pytest.mark.django_db
def test_healthz_right_token_shows_each_dependency(client, monkeypatch, healthz_token):
    monkeypatch.setattr(health, "cache_status", lambda: FAILING)
    monkeypatch.setattr(health, "broker_status", lambda: "not configured (tasks run in-process)")

    status, body = get_healthz(client, healthz_token)

    assert status == 200
    assert body == {
        "status": "degraded",
        "checks": {"database": "ok", "cache": FAILING, "broker": "not configured (tasks run in-process)"},
    }


@pytest.mark.django_db
@pytest.mark.parametrize(
    "authorization",
    [
        pytest.param(None, id="missing"),
        pytest.param(f"Bearer {OPERATOR_TOKEN}x", id="wrong"),
        pytest.param(f"Bearer {OPERATOR_TOKEN[:-1]}", id="prefix"),
        pytest.param(f"Basic {OPERATOR_TOKEN}", id="other-scheme"),
        pytest.param("Bearer ", id="empty"),
    ],
)
def test_healthz_without_the_right_token_shows_only_the_state(client, monkeypatch, healthz_token, authorization):
    monkeypatch.setattr(health, "cache_status", lambda: FAILING)
    headers = {"Authorization": authorization} if authorization is not None else {}

    response = client.get("/healthz", headers=headers)

    assert json.loads(response.content) == {"status": "degraded"}


@pytest.mark.django_db
@pytest.mark.parametrize("authorization", ["Bearer ", "Bearer None"])
def test_healthz_token_unset_never_shows_details(client, settings, authorization):
    settings.HEALTHZ_TOKEN = ""

    response = client.get("/healthz", headers={"Authorization": authorization})

    assert json.loads(response.content) == {"status": "ok"}


def test_healthz_broker_unreachable_reports_error(settings, monkeypatch):
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"
    from brokerage.celery import app

    monkeypatch.setattr(app.conf, "broker_url", "redis://127.0.0.1:1/0")

    assert health.broker_status().startswith("error")


def test_healthz_embedded_broker_folder_missing_reports_error(settings, tmp_path):
    settings.CELERY_BROKER_URL = "filesystem://"
    settings.EMBEDDED_BROKER = True
    settings.CELERY_BROKER_TRANSPORT_OPTIONS = {"data_folder_out": str(tmp_path / "gone")}

    assert health.broker_status() == "error: queue folder not writable"
    (tmp_path / "gone").mkdir()
    assert health.broker_status() == "ok"
