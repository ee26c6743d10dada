"""The portal as a visitor first meets it: home page, every navigation link, accessibility."""

import os
from urllib.parse import urlparse

import pytest
from django.core.management import call_command

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = os.environ.get("SCREENSHOT_DIR", "screenshots")


@pytest.fixture
def demo_region(transactional_db):
    call_command("load_demo", stdout=open(os.devnull, "w"))


def test_home_page_follow_every_navigation_link(page, live_server, demo_region, axe_check):
    os.makedirs(SCREENSHOTS, exist_ok=True)
    page.goto(live_server.url + "/")
    assert page.locator("h1").first.inner_text().startswith("All the region's professional development")
    assert axe_check() == []
    page.screenshot(path=os.path.join(SCREENSHOTS, "home-desktop.png"), full_page=True)

    links = page.locator("nav[aria-label=Main] a.nav-link")
    targets = [(links.nth(i).inner_text(), links.nth(i).get_attribute("href")) for i in range(links.count())]
    assert [name for name, _ in targets][:6] == ["Find CPD", "Events", "Programmes", "People", "Glossary", "Bulletin"]
    problems = []
    for name, href in targets:
        page.goto(live_server.url + "/")
        page.get_by_role("navigation", name="Main").get_by_role("link", name=name, exact=True).click()
        page.wait_for_load_state()
        if urlparse(page.url).path != urlparse(href).path:
            problems.append(f"{name}: landed on {page.url}")
            continue
        heading = page.locator("h1").first
        if not heading.count() or "not found" in heading.inner_text().lower() or "went wrong" in page.content():
            problems.append(f"{name}: no page at {href}")
            continue
        violations = axe_check()
        if violations:
            problems.append(f"{name}: {violations}")
    assert problems == []


def test_page_not_found_is_in_the_layout_and_accessible(page, live_server, axe_check):
    response = page.goto(live_server.url + "/no-such-page/")

    assert response.status == 404
    assert page.locator("h1").first.inner_text() == "Page not found"
    assert page.get_by_role("link", name="Search all offers").count() == 1
    assert axe_check() == []


def test_home_page_phone_width_has_menu_button(page, live_server, demo_region):
    os.makedirs(SCREENSHOTS, exist_ok=True)
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(live_server.url + "/")
    toggler = page.get_by_role("button", name="Show menu")
    assert toggler.is_visible()
    toggler.click()
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Find CPD").wait_for(state="visible")
    page.screenshot(path=os.path.join(SCREENSHOTS, "home-phone.png"), full_page=True)


def test_home_page_keyboard_skip_link_moves_focus_to_main(page, live_server, demo_region):
    page.goto(live_server.url + "/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent").strip() == "Skip to main content"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"


@pytest.mark.parametrize("width", [1024, 1200, 1440])
def test_signed_in_navigation_fits_at_desktop_widths(page, live_server, demo_region, width):
    """A coordinator who is also a regional worker has the longest navigation: nothing may run off the bar."""
    from django.contrib.auth import get_user_model

    from programmes.models import RegionalWorker
    from tests_support import factories

    user = get_user_model().objects.get(username="coordinator")
    if not RegionalWorker.objects.filter(user=user).exists():
        factories.RegionalWorkerFactory(user=user)
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(live_server.url + "/accounts/login/")
    page.fill("input[name=username]", "coordinator")
    page.fill("input[name=password]", "demo-brokerage-2026")
    page.click("button[type=submit]")
    page.goto(live_server.url + "/offers/")
    toggler = page.get_by_role("button", name="Show menu")
    if toggler.is_visible():
        toggler.click()
    navigation = page.get_by_role("navigation", name="Main")
    for name in ("Find CPD", "Bulletin", "My workspace", "Insights", "Admin"):
        link = navigation.get_by_role("link", name=name, exact=True)
        link.wait_for(state="visible")
        box = link.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= width, (name, box, width)
    sign_out = navigation.get_by_role("button", name="Sign out")
    box = sign_out.bounding_box()
    assert box["x"] + box["width"] <= width
