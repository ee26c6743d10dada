"""Fixtures shared by every app's tests: personas and the browser."""

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from brokerage.roles import coordinators_group_sync
from tests_support import factories
from tests_support.clock import TEST_NOW

# Playwright's sync API runs an event loop in the test thread; Django's ORM
# refuses to run inside one unless told it is safe (the test drives it serially).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
LOCALE_DIR = Path(__file__).resolve().parent / "locale"


def pytest_configure(config):
    """Build the Welsh .mo files when they are missing or older than their .po (a plain `pytest` run).

    scripts/messages.sh does it for `make test`; without msgfmt, the catalogue
    check in brokerage/tests/test_welsh_catalogue.py says what is missing.
    """
    if shutil.which("msgfmt") is None:
        return
    for po in LOCALE_DIR.glob("*/LC_MESSAGES/*.po"):
        mo = po.with_suffix(".mo")
        if not mo.exists() or mo.stat().st_mtime < po.stat().st_mtime:
            subprocess.run(["msgfmt", "--check-format", "-o", str(mo), str(po)], check=True)


def pytest_collection_modifyitems(config, items):
    from django.conf import settings

    skip_pg = pytest.mark.skip(reason="needs PostgreSQL (run with DATABASE_URL=postgres://...)")
    skip_browser = pytest.mark.skip(reason=f"Chromium not found at {CHROMIUM}")
    have_browser = shutil.which(CHROMIUM) is not None
    skip_redis_server = pytest.mark.skip(reason="redis-server not found (apt-get install redis-server)")
    have_redis_server = shutil.which("redis-server") is not None
    for item in items:
        if "postgres" in item.keywords and not settings.IS_POSTGRES:
            item.add_marker(skip_pg)
        if "integration" in item.keywords and not (settings.IS_POSTGRES and settings.REDIS_URL):
            item.add_marker(pytest.mark.skip(reason="needs PostgreSQL and Redis"))
        if "embedded" in item.keywords and settings.IS_POSTGRES:
            item.add_marker(pytest.mark.skip(reason="runs on its own SQLite file: once, in the SQLite run"))
        if "browser" in item.keywords and not have_browser:
            item.add_marker(skip_browser)
        if "redis_server" in item.keywords and not have_redis_server:
            item.add_marker(skip_redis_server)


@pytest.fixture(autouse=True)
def stated_moment(request, time_machine):
    """Start each test at TEST_NOW.

    Browser and integration tests share the clock with other processes (Chromium
    judges cookie expiry, a Celery worker its schedules), so they run on the
    real clock; the factories build their dates from it all the same.
    """
    if request.node.get_closest_marker("time_machine"):
        return  # the test stated its own moment
    if request.node.get_closest_marker("browser") or request.node.get_closest_marker("integration"):
        return
    time_machine.move_to(TEST_NOW, tick=True)


@pytest.fixture(autouse=True)
def _fresh_caches():
    """Start each test with every cache empty.

    The default cache holds rate-limit counts (programmes.ratelimits) for an
    hour: left there, one test's posts would count against the next one's
    (and, on Redis, the next run's). template_fragments holds the rendered
    navigation and footer (base.html's {% cache %}): a test that changes a
    setting or a template they show must see its change.
    """
    from django.core.cache import caches

    for cache in caches.all(initialized_only=False):
        cache.clear()
    yield


@pytest.fixture(autouse=True)
def _english_after_each_test():
    """Leave no language active after a test.

    LocaleMiddleware activates a request's language in the thread and leaves it
    there: after a /cy/ request, the test's own reverse() would give /cy/ paths,
    and so would the next test's.
    """
    from django.utils import translation

    yield
    translation.deactivate()


@pytest.fixture
def coordinator(db):
    user = factories.UserFactory(username="coordinator@example.org", is_staff=True)
    user.groups.add(coordinators_group_sync())
    return user


@pytest.fixture
def worker(db):
    return factories.RegionalWorkerFactory()


@pytest.fixture
def provider_contact(db):
    return factories.ProviderContactFactory()


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": ["--disable-gpu", "--disable-quic", "--disable-sync", "--disable-background-networking"],
    }


# WCAG 2.2 AA and axe's best practices. Naming the tags also runs the rules axe
# leaves off by default, such as target-size (WCAG 2.5.8).
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]


@pytest.fixture
def axe_check(page):
    """Run axe-core (WCAG 2.2 AA) on the current page; return serious and critical violations."""
    axe_source = (
        open(os.path.join(os.path.dirname(__file__), "tests_support", "axe.min.js"), encoding="utf-8").read()
    )

    def check():
        page.evaluate(axe_source)
        result = page.evaluate(
            "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
            AXE_TAGS,
        )
        return [
            f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
            for v in result["violations"]
            if v["impact"] in ("serious", "critical")
        ]

    return check
