"""In a real browser: the plan's warnings and the fair's clash marks are valid HTML, accessible, and work."""

import datetime as dt

import pytest
from django.utils import timezone

from events.booking import booking_create
from providers.models import PlanItem
from tests_support import factories
from tests_support.nu import nu_errors, nu_missing

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(page, base, username):
    page.goto(base + "/accounts/login/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill("test-password-123")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()


def test_plan_warnings_and_clash_marks_are_valid_accessible_and_work(page, live_server, axe_check, tmp_path):
    contact = factories.ProviderContactFactory(user__username="sam@exeter-college.example")
    basics = factories.OfferFactory(title="Maths basics")
    mastery = factories.OfferFactory(title="Maths mastery")
    missing = factories.OfferFactory(title="Numeracy first steps")
    mastery.builds_on.set([basics, missing])
    ended = factories.OfferFactory(title="Autumn course", is_rolling=False, starts_on=dt.date(2026, 9, 1),
                                   ends_on=dt.date(2026, 9, 30))
    for position, offer in enumerate([mastery, basics, ended], start=1):
        factories.PlanItemFactory(organisation=contact.organisation, offer=offer, position=position)

    start = (timezone.localtime() + dt.timedelta(days=30)).replace(hour=9, minute=0, second=0, microsecond=0)
    fair = factories.JointEventFactory(title="Spring fair", starts_at=start, ends_at=start + dt.timedelta(hours=6))
    host = factories.RegionalWorkerFactory(user__first_name="Bea", user__last_name="Booked")
    booked_surgery = factories.SurgeryFactory(event=fair, title="Learning technology")
    booked_surgery.hosts.set([host])
    booked_slot = factories.SlotFactory(surgery=booked_surgery, starts_at=start + dt.timedelta(hours=1), capacity=2)
    booking_create(user=contact.user, slot_id=booked_slot.pk)
    clashing = factories.SlotFactory(surgery=factories.SurgeryFactory(event=fair, title="Maths"),
                                     starts_at=start + dt.timedelta(hours=1, minutes=10))
    base = live_server.url
    documents = {}

    sign_in(page, base, "sam@exeter-college.example")
    page.goto(base + "/account/")
    plan = page.locator("#plan")
    assert "Warning: this comes before “Maths basics”, which it builds on." in plan.inner_text()
    assert "Dates passed: this offer ended on 30 September 2026." in plan.inner_text()
    assert axe_check() == []
    documents["/account/"] = page.content()

    page.get_by_role("button", name="Move “Maths mastery” after “Maths basics”").click()
    page.wait_for_load_state()
    page.get_by_role("button", name="Add “Numeracy first steps” before it").click()
    page.wait_for_load_state()
    titles = PlanItem.objects.filter(organisation=contact.organisation).order_by("position")
    assert [item.offer.title for item in titles] == ["Maths basics", "Numeracy first steps", "Maths mastery", "Autumn course"]
    assert "Warning:" not in page.locator("#plan").inner_text()

    page.goto(base + fair.get_absolute_url())
    mark = page.locator(f"#clash-{clashing.pk}")
    assert mark.inner_text() == "Clashes with your booking with Bea Booked at 10:00."
    assert axe_check() == []
    documents[fair.get_absolute_url()] = page.content()

    page.goto(base + f"/events/{fair.slug}/book/{clashing.pk}/")
    assert "You cannot hold both" in page.locator(".slot-clash-alert").inner_text()
    assert axe_check() == []
    documents["booking form"] = page.content()

    if nu_missing():
        pytest.skip(f"HTML not checked: {nu_missing()}")
    assert nu_errors(documents, tmp_path) == []
