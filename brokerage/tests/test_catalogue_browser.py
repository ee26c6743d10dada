"""The catalogue in a real Chromium: filter, search, open, ask; and the same without JavaScript."""

import re

import pytest
from playwright.sync_api import expect

from brokerage.insights.choices import SignalKind
from brokerage.insights.models import Signal
from brokerage.models import Enquiry

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def catalogue_live(catalogue, live_server):
    return live_server.url


def test_browser_filter_search_open_ask(page, catalogue_live, axe_check):
    page.goto(f"{catalogue_live}/offers/")
    expect(page.locator("#results-count")).to_contain_text("3 offers")
    assert axe_check() == []
    page.get_by_role("checkbox", name=re.compile("English and ESOL")).check()
    expect(page.locator("#results-count")).to_contain_text("2 offers")
    expect(page).to_have_url(re.compile("theme=english"))  # htmx pushed the state into the address (after the swap)
    expect(page.locator("#chosen-count")).to_have_text("1 chosen")
    page.get_by_label("Search offers").fill("reading")
    expect(page.locator("#results-count")).to_contain_text("1 offer for “reading”")
    # Counts were updated in place (out of band) for the new result set.
    expect(page.locator("#c-format-workshop")).to_contain_text("1")
    page.get_by_role("link", name="Teaching reading workshop").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Teaching reading workshop")
    assert axe_check() == []
    page.get_by_label("Your name").fill("Sam Carter")
    page.get_by_label("Your email address").fill("sam@college.example")
    page.get_by_label("Your question").fill("Do you run this in the evening?")
    page.get_by_role("button", name="Send your question").click()
    expect(page.get_by_role("status")).to_contain_text("Priya Shah will answer you at sam@college.example")
    assert Enquiry.objects.get().message == "Do you run this in the evening?"


def is_results_refresh(response, *, typing):
    request = response.request
    return "/offers/" in request.url and ("x-search-typing" in request.headers) == typing


@pytest.mark.parametrize("commit_key", ["Enter", "Tab"])
def test_browser_slow_typing_records_one_search_with_the_whole_word(page, catalogue_live, commit_key):
    page.goto(f"{catalogue_live}/offers/")
    page.get_by_label("Search offers").focus()
    # A slow typist: each pause is longer than the 500 ms delay, so htmx
    # refreshes the results after every piece ("ma", "mat", "maths").
    for piece in ("ma", "t", "hs"):
        with page.expect_response(lambda r: is_results_refresh(r, typing=True)):
            page.keyboard.type(piece, delay=50)
        page.wait_for_timeout(700)
    expect(page.locator("#results-count")).to_contain_text("for “maths”")
    assert Signal.objects.count() == 0  # the half-typed words were not recorded

    # Committing to the search (Enter submits, Tab leaves the box) records it once.
    with page.expect_response(lambda r: is_results_refresh(r, typing=False)):
        page.keyboard.press(commit_key)
    page.wait_for_timeout(700)  # room for any further request a key press might trigger

    expect(page).to_have_url(re.compile("q=maths"))
    assert list(Signal.objects.filter(is_primary=True).values_list("kind", "words")) == [(SignalKind.SEARCH, "maths")]


def test_browser_leaving_the_box_after_the_live_refresh_only_records_the_search(page, catalogue_live):
    """No htmx refresh (swap and address push) when the results on screen are the committed words already.

    Leaving the box is also what clicking a result does; a history push landing
    at that moment cancelled the click's navigation (seen once in CI).
    """
    page.goto(f"{catalogue_live}/offers/")
    page.evaluate("""() => {
        window.refreshes = 0;
        document.body.addEventListener("htmx:beforeRequest", () => { window.refreshes += 1; });
    }""")
    page.get_by_label("Search offers").fill("reading")
    expect(page.locator("#results-count")).to_contain_text("1 offer for “reading”")
    refreshes = page.evaluate("window.refreshes")

    with page.expect_response(lambda r: is_results_refresh(r, typing=False)):
        page.keyboard.press("Tab")

    assert page.evaluate("window.refreshes") == refreshes  # the typing refresh only: no htmx request on leaving
    assert list(Signal.objects.filter(is_primary=True).values_list("kind", "words")) == [(SignalKind.SEARCH, "reading")]
    page.get_by_role("link", name="Teaching reading workshop").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Teaching reading workshop")


def test_browser_filters_work_without_javascript(browser, catalogue_live):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{catalogue_live}/offers/")
    page.get_by_role("checkbox", name=re.compile("English and ESOL")).check()
    page.get_by_label("Search offers").fill("reading")
    page.get_by_role("button", name="Apply filters").click()
    expect(page.locator("#results-count")).to_contain_text("1 offer for “reading”")
    assert "theme=english" in page.url and "q=reading" in page.url
    page.get_by_role("link", name="Teaching reading workshop").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Teaching reading workshop")
    context.close()


def test_browser_phone_width_shows_results_first(page, catalogue_live, axe_check):
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{catalogue_live}/offers/")
    expect(page.locator("#filters-panel")).not_to_have_attribute("open", "")
    page.locator("#filters-panel summary").click()
    page.get_by_role("checkbox", name=re.compile("Maths and numeracy")).check()
    expect(page.locator("#results-count")).to_contain_text("2 offers")
    assert axe_check() == []


def test_browser_provider_plans_from_offer_page(page, catalogue_live, catalogue, provider_contact, axe_check):
    user = provider_contact.user
    page.goto(f"{catalogue_live}/accounts/login/?next=/offers/reading-workshop/")
    page.locator("#id_username").fill(user.username)
    page.locator("#id_password").fill("test-password-123")
    page.locator("main button[type=submit]").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Teaching reading workshop")
    page.get_by_role("button", name=re.compile("Add to .* CPD plan")).click()
    expect(page.get_by_role("status")).to_contain_text("is now in your CPD plan")
    page.goto(f"{catalogue_live}/account/")
    expect(page.locator("#plan")).to_contain_text("Teaching reading workshop")
    assert axe_check() == []
    page.get_by_label("Status of Teaching reading workshop").select_option("booked")
    page.get_by_role("button", name="Set status of Teaching reading workshop").click()
    expect(page.get_by_role("status")).to_contain_text("now marked booked")
