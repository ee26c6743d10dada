"""/insights/ in a real Chromium, as the demo coordinator: changing the region changes charts and tables."""

import pytest
from playwright.sync_api import expect

from brokerage.demo import DEMO_PASSWORD, DemoLoader

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo_live(live_server):
    DemoLoader().run()
    return live_server.url


def sign_in(page, base):
    page.goto(f"{base}/accounts/login/?next=/insights/")
    page.get_by_label("Email address or username").fill("coordinator")
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.locator("main").get_by_role("button", name="Sign in").click()


def test_browser_coordinator_changes_region_and_sees_charts_and_tables_change(page, demo_live, axe_check):
    sign_in(page, demo_live)
    expect(page.get_by_role("heading", level=1)).to_have_text("Insights")
    expect(page.locator(".lead")).to_contain_text("across all regions")
    assert axe_check() == []
    table_before = page.locator("#table-themes tbody").inner_text()
    chart = page.get_by_role("img", name="Offers and demand by theme")
    chart_before = chart.inner_html()
    views_before = page.locator("[data-total='views']").inner_text()

    # Choosing a region submits the chooser at once (static/js/insights.js).
    page.get_by_label("Region").select_option(label="Devon")

    expect(page.locator(".lead")).to_contain_text("in Devon")
    assert "region=devon" in page.url
    assert page.get_by_label("Region").input_value() == "devon"
    assert page.locator("#table-themes tbody").inner_text() != table_before
    assert chart.inner_html() != chart_before
    assert int(page.locator("[data-total='views']").inner_text().replace(",", "")) < int(views_before.replace(",", ""))
    assert axe_check() == []

    # Each table downloads as CSV for the same region and period.
    with page.expect_download() as download:
        page.get_by_role("link", name="Download themes as CSV").click()
    assert "devon" in download.value.suggested_filename


def test_browser_duplicates_and_evaluations_pass_axe(page, demo_live, axe_check):
    sign_in(page, demo_live)
    page.goto(f"{demo_live}/insights/duplicates/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Possible duplicate offers")
    assert axe_check() == []
    compare = page.get_by_role("link", name="Compare").first
    if compare.count():
        compare.click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Compare two offers")
        assert axe_check() == []
    page.goto(f"{demo_live}/insights/evaluations/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Evaluation trends")
    assert axe_check() == []
