"""In Chromium: subscribe, confirm from the emailed link, unsubscribe from a sent bulletin's link."""

import re

import pytest
from django.core import mail

from brokerage.bulletins import services
from brokerage.bulletins.tasks import bulletin_send_task
from brokerage.models import Subscriber
from tests_support import factories


def _link(pattern, body):
    return re.search(pattern, body).group(0)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_browser_subscribe_confirm_then_unsubscribe_from_bulletin(page, live_server, axe_check, settings):
    settings.SITE_URL = live_server.url
    mail.outbox = []
    maths = factories.ThemeFactory(name="Maths and numeracy", slug="maths")
    factories.ThemeFactory(name="Digital learning", slug="digital")
    factories.RegionFactory(name="Devon", slug="devon")
    factories.OfferFactory(title="Maths mastery for FE", themes=[maths], is_national=True)

    page.goto(f"{live_server.url}/bulletins/subscribe/")
    assert axe_check() == []
    page.get_by_label("Email address").fill("ana@college.example")
    page.get_by_label("Your name").fill("Ana Lee")
    page.get_by_label("Maths and numeracy").check()
    page.get_by_role("radio", name="English", exact=True).check()  # her emails' language
    page.get_by_role("button", name="Send me the confirmation link").click()
    page.get_by_role("heading", name="Check your inbox").wait_for()

    confirm_url = _link(r"http://\S+/bulletins/subscribe/confirm/\S+/", mail.outbox[0].body)
    page.goto(confirm_url)
    assert axe_check() == []
    assert Subscriber.objects.get(email="ana@college.example").confirmed_at is None
    page.get_by_role("button", name="Yes, send me the bulletin").click()
    page.get_by_role("heading", name="You are subscribed").wait_for()
    assert Subscriber.objects.get(email="ana@college.example").is_active

    bulletin = factories.BulletinFactory(title="Spring bulletin")
    services.bulletin_compose_draft(bulletin=bulletin)
    bulletin_send_task.apply(args=[bulletin.pk])
    sent = [m for m in mail.outbox if m.subject == "Spring bulletin"]
    assert [m.to for m in sent] == [["ana@college.example"]]
    assert "Maths mastery for FE" in sent[0].body

    page.goto(f"{live_server.url}/bulletins/")
    assert axe_check() == []
    page.get_by_role("link", name="Spring bulletin").click()
    page.get_by_role("heading", name="Maths and numeracy").wait_for()
    assert axe_check() == []

    page.goto(_link(r"http://\S+/bulletins/unsubscribe/\S+/", sent[0].body))
    assert axe_check() == []
    assert Subscriber.objects.get(email="ana@college.example").unsubscribed_at is None
    page.get_by_role("button", name="Unsubscribe").click()
    page.get_by_role("heading", name="You are unsubscribed").wait_for()
    assert axe_check() == []
    assert Subscriber.objects.get(email="ana@college.example").unsubscribed_at is not None
