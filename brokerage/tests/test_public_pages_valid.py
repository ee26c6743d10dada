"""Every public page of the demo region: accessible (axe-core, WCAG 2.2 AA) and valid HTML (the Nu checker)."""

import os
import re

import pytest
from django.core.management import call_command
from django.urls import Resolver404, resolve

from tests_support.nu import nu_errors, nu_missing

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Pages that only some deployments have: checked when the address leads somewhere.
OPTIONAL_PAGES = ["/privacy/", "/cookies/", "/accessibility/", "/contact/"]


@pytest.fixture
def demo_region(transactional_db):
    call_command("load_demo", stdout=open(os.devnull, "w"))


def _exists(path):
    try:
        resolve(path)
    except Resolver404:
        return False
    return True


def _first(pattern, html, path):
    """The first address in a list page's HTML that the pattern matches (a detail page to visit)."""
    match = re.search(pattern, html)
    assert match, f"{path} links to no page matching {pattern}"
    return match.group(1)


def test_public_pages_pass_axe_and_the_nu_checker(page, live_server, demo_region, axe_check, tmp_path):
    # Arrange: list pages first; each one names a detail page to visit after it.
    pages = [
        ("/", None),
        ("/offers/", r'href="(/offers/(?!feed/)[\w-]+/)"'),
        ("/programmes/", r'href="(/programmes/[\w-]+/)"'),
        ("/network/", r'href="(/network/[\w-]+/)"'),
        ("/glossary/", None),
        ("/events/", r'href="(/events/[\w-]+/)"'),
        ("/bulletins/", r'href="(/bulletins/(?!subscribe/|preferences/)[\w-]+/)"'),
        ("/bulletins/subscribe/", None),
        ("/accounts/login/", None),
        ("/accounts/signup/", None),
        ("/accounts/password/reset/", None),
        *[(path, None) for path in OPTIONAL_PAGES if _exists(path)],
    ]
    documents = {}  # path: the HTML the server sent
    problems = []

    def visit(path):
        response = page.goto(live_server.url + path)
        if response.status != 200:
            problems.append(f"{path}: status {response.status}")
            return ""
        documents[path] = response.text()
        problems.extend(f"{path}: {violation}" for violation in axe_check())
        return documents[path]

    # Act
    for path, detail in pages:
        html = visit(path)
        if detail:
            visit(_first(detail, html, path))
        if path == "/offers/":
            theme = _first(r'name="theme" value="([\w-]+)"', html, path)
            visit(f"/offers/?theme={theme}")
    missing = nu_missing()
    if not missing:
        problems.extend(nu_errors(documents, tmp_path))

    # Assert
    # Every page answered: the list pages, a detail page of five of them, and a theme of the catalogue.
    assert len(documents) == len(pages) + 5 + 1, sorted(documents)
    assert problems == [], "\n".join(problems)
    if missing:
        pytest.skip(f"axe-core passed on {len(documents)} pages; the HTML was not checked: {missing}")
