"""With DEBUG off, a server or worker refuses to start without a secret and hosts."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from brokerage.production import check_secret_key_from_environment, require_production_settings

ROOT = Path(__file__).resolve().parents[2]


def production_env(**extra):
    env = {"PATH": os.environ["PATH"], "HOME": os.environ.get("HOME", "/tmp"), "DJANGO_SETTINGS_MODULE": "brokerage.settings"}
    env.update(extra)
    return env


def run_python(code, **env):
    return subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=production_env(**env), capture_output=True, text=True, timeout=120
    )


def test_wsgi_without_secret_or_hosts_refuses_to_start():
    result = run_python("import brokerage.wsgi")

    assert result.returncode != 0
    assert "SECRET_KEY must be set when DEBUG is off. ALLOWED_HOSTS must be set when DEBUG is off." in result.stderr


def test_wsgi_with_secret_and_hosts_starts():
    result = run_python("import brokerage.wsgi; print('started')", SECRET_KEY="s" * 60, ALLOWED_HOSTS="cpd.example.org")

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "started"


def test_management_check_without_secret_runs_and_deploy_check_reports_it():
    plain = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=production_env(), capture_output=True, text=True, timeout=120
    )
    deploy = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy"],
        cwd=ROOT, env=production_env(ALLOWED_HOSTS="cpd.example.org"), capture_output=True, text=True, timeout=120,
    )

    assert plain.returncode == 0, plain.stderr
    assert deploy.returncode != 0
    assert "brokerage.E001" in deploy.stderr


def test_redis_cache_socket_timeouts_come_from_the_environment():
    result = run_python(
        "from django.conf import settings; print(settings.CACHES['default'])",
        REDIS_URL="redis://127.0.0.1:6379", CACHE_CONNECT_TIMEOUT="0.1", CACHE_TIMEOUT="0.3",
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == str({
        "BACKEND": "django_redis.cache.RedisCache",
        "LOCATION": "redis://127.0.0.1:6379/1",
        # An unreachable Redis answers misses and drops writes instead of failing the page.
        "OPTIONS": {"SOCKET_CONNECT_TIMEOUT": 0.1, "SOCKET_TIMEOUT": 0.3, "IGNORE_EXCEPTIONS": True},
    })


def test_redis_cache_timeout_not_a_number_is_refused():
    result = run_python("from django.conf import settings; settings.CACHES", REDIS_URL="redis://127.0.0.1:6379",
                        CACHE_TIMEOUT="fast")

    assert result.returncode != 0
    assert "CACHE_TIMEOUT must be a number, not 'fast'" in result.stderr


def test_require_production_settings_debug_off_no_secret_raises(settings):
    settings.DEBUG = False
    settings.TESTING = False
    settings.SECRET_KEY_FROM_ENVIRONMENT = False

    with pytest.raises(ImproperlyConfigured, match="SECRET_KEY must be set"):
        require_production_settings()
    assert [e.id for e in check_secret_key_from_environment(None)] == ["brokerage.E001"]
