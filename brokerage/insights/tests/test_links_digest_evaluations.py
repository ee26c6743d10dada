"""Tracked bulletin links, the weekly digest, and evaluation trends."""

import csv
import datetime as dt
import io

import pytest
from django.core import mail, signing
from django.urls import reverse
from django.utils import timezone

from brokerage.insights.choices import SignalKind
from brokerage.insights.digest import weekly_digest_send
from programmes.outbox import outbox_drain
from brokerage.insights.evaluations import NO_THEME, key_messages_by_theme, ratings_per_event
from brokerage.insights.links import SALT, tracked_link, tracked_path
from brokerage.insights.models import InsightDigest, Signal
from brokerage.insights.selectors import Period
from brokerage.insights.tasks import weekly_digest_task
from brokerage.roles import coordinators_group_sync
from events.models import Evaluation
from tests_support import factories

pytestmark = pytest.mark.django_db


# Tracked links -------------------------------------------------------------

def test_tracked_link_redirects_and_records_one_click_with_theme(client, settings):
    settings.SITE_URL = "https://cpd.example"
    bulletin, theme = factories.BulletinFactory(), factories.ThemeFactory()
    offer = factories.OfferFactory()
    url = tracked_link("https://cpd.example/offers/fractions/?from=bulletin", bulletin=bulletin, theme=theme, offer=offer)
    assert url.startswith("https://cpd.example/insights/r/")

    response = client.get(url.removeprefix("https://cpd.example"))

    assert response.status_code == 302
    assert response["Location"] == "/offers/fractions/?from=bulletin"
    signal = Signal.objects.get()
    assert (signal.kind, signal.bulletin_id, signal.theme_id, signal.offer_id, signal.region_id) == (
        SignalKind.BULLETIN_CLICK, bulletin.pk, theme.pk, offer.pk, None
    )


@pytest.mark.parametrize("url", ["https://evil.example/offers/", "//evil.example/x", "javascript:alert(1)"])
def test_tracked_link_refuses_other_sites(url, settings):
    settings.SITE_URL = "https://cpd.example"
    with pytest.raises(ValueError):
        tracked_link(url)


def test_tracked_redirect_tampered_or_foreign_token_404_and_records_nothing(client):
    good = tracked_path("/events/")
    tampered = good[:-3] + ("A" if good[-3] != "A" else "B") + good[-2:]
    foreign = signing.dumps({"u": "https://evil.example/"}, salt=SALT, compress=True)
    slashes = signing.dumps({"u": "//evil.example/"}, salt=SALT, compress=True)

    for token_path in (tampered, f"/insights/r/{foreign}/", f"/insights/r/{slashes}/", "/insights/r/nonsense/"):
        assert client.get(token_path).status_code == 404
    assert Signal.objects.count() == 0


# Weekly digest ---------------------------------------------------------------

@pytest.fixture
def coordinators():
    group = coordinators_group_sync()
    people = [factories.UserFactory(is_staff=True, email=f"coord{n}@example.org") for n in range(2)]
    for person in people:
        person.groups.add(group)
    factories.UserFactory(is_staff=True, email="staff-not-coordinator@example.org")
    return people


def test_digest_sent_to_each_coordinator_once_a_week(coordinators, time_machine, django_capture_on_commit_callbacks):
    monday = dt.date(2026, 11, 23)
    time_machine.move_to(dt.datetime(2026, 11, 25, 7, 0, tzinfo=dt.UTC))  # that week's Wednesday
    theme = factories.ThemeFactory(name="Dyscalculia support")
    for _ in range(6):
        factories.SignalFactory(kind=SignalKind.OFFER_VIEW, theme=theme)  # the day before

    with django_capture_on_commit_callbacks(execute=True):
        first = weekly_digest_task.apply().get()
        second = weekly_digest_task.apply().get()

    assert (first, second) == (2, 0)
    assert sorted(m.to[0] for m in mail.outbox) == ["coord0@example.org", "coord1@example.org"]
    assert "Dyscalculia support" in mail.outbox[0].body
    assert "Dyscalculia support" in mail.outbox[0].alternatives[0][0]
    digest = InsightDigest.objects.get()
    assert (digest.week_start, digest.status, digest.recipients) == (monday, "sent", 2)


def test_digest_next_week_sends_again(coordinators, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        weekly_digest_send(today=dt.date(2026, 11, 24))
        weekly_digest_send(today=dt.date(2026, 11, 29))  # Sunday: same week
        weekly_digest_send(today=dt.date(2026, 11, 30))  # next Monday

    assert len(mail.outbox) == 4
    assert list(InsightDigest.objects.order_by("week_start").values_list("week_start", flat=True)) == [
        dt.date(2026, 11, 23), dt.date(2026, 11, 30)
    ]


def test_digest_smtp_failure_is_retried_by_the_outbox(coordinators, monkeypatch, django_capture_on_commit_callbacks):
    def broken(*args, **kwargs):
        raise OSError("SMTP down")

    monkeypatch.setattr("django.core.mail.backends.locmem.EmailBackend.send_messages", broken)
    with django_capture_on_commit_callbacks(execute=True):
        assert weekly_digest_send(today=dt.date(2026, 11, 24)) == 2
    assert mail.outbox == []
    monkeypatch.undo()

    assert weekly_digest_send(today=dt.date(2026, 11, 24)) == 0  # the week is claimed: not written twice
    assert outbox_drain(now=timezone.now() + dt.timedelta(minutes=1)) == 2
    assert sorted(m.to[0] for m in mail.outbox) == ["coord0@example.org", "coord1@example.org"]


# Evaluation trends -------------------------------------------------------------

@pytest.fixture
def evaluations():
    region = factories.RegionFactory(slug="sw", name="South West")
    maths = factories.ThemeFactory(name="Maths", position=1)
    fair = factories.JointEventFactory(title="Exeter fair", region=region)
    other = factories.JointEventFactory(title="Cardiff fair")
    surgery = factories.SurgeryFactory(event=fair)
    surgery.themes.add(maths)
    slot = factories.SlotFactory(surgery=surgery)
    booked, unbooked, elsewhere = factories.UserFactory(), factories.UserFactory(), factories.UserFactory()
    factories.BookingFactory(slot=slot, user=booked)
    Evaluation.objects.create(event=fair, user=booked, rating=5, key_messages="Fund maths coaching for longer.")
    Evaluation.objects.create(event=fair, user=unbooked, rating=2, key_messages="=cmd|' /C calc'!A0")
    Evaluation.objects.create(event=other, user=elsewhere, rating=4, key_messages="")
    today = timezone.localdate()
    return {"region": region, "period": Period(start=today - dt.timedelta(days=30), end=today)}


def test_ratings_per_event_averages(evaluations):
    rows = ratings_per_event(evaluations["period"])

    assert sorted((r["event__title"], r["responses"], float(r["average"]), r["rated_5"]) for r in rows) == [
        ("Cardiff fair", 1, 4.0, 0),
        ("Exeter fair", 2, 3.5, 1),
    ]


def test_key_messages_grouped_by_booked_surgery_theme(evaluations):
    groups = key_messages_by_theme(evaluations["period"])

    assert [(g.theme, [m for _, m, _ in g.messages]) for g in groups] == [
        ("Maths", ["Fund maths coaching for longer."]),
        (NO_THEME, ["=cmd|' /C calc'!A0"]),
    ]


def test_evaluation_summary_printable_and_csv_safe(client, coordinator, evaluations):
    client.force_login(coordinator)

    page = client.get(reverse("insights:evaluation_summary"), {"region": "sw"}).content.decode()
    csv_text = client.get(reverse("insights:export", args=["key-messages"]), {"region": "sw"}).content.decode()

    assert "Regional evaluation summary" in page and "Fund maths coaching for longer." in page
    assert "Cardiff fair" not in page  # another region
    assert "data-print" in page
    assert list(csv.reader(io.StringIO(csv_text)))[1:] == [
        ["Maths", "Exeter fair", "Fund maths coaching for longer.", "5"],
        [NO_THEME, "Exeter fair", "'=cmd|' /C calc'!A0", "2"],  # the formula is neutralised
    ]


def test_bulletin_offer_link_is_tracked_and_records_the_click(client, settings):
    from brokerage.bulletins.content import BulletinContent

    settings.SITE_URL = "https://cpd.example"
    theme = factories.ThemeFactory()
    offer = factories.OfferFactory(slug="fractions", themes=[theme], is_national=True)
    bulletin = factories.BulletinFactory()
    factories.BulletinItemFactory(bulletin=bulletin, offer=offer)

    url = BulletinContent(bulletin).offers[0].url
    response = client.get(url.removeprefix("https://cpd.example"))

    assert url.startswith("https://cpd.example/insights/r/")
    assert response["Location"] == "/offers/fractions/"
    assert list(Signal.objects.values_list("kind", "bulletin_id", "offer_id", "theme_id")) == [
        (SignalKind.BULLETIN_CLICK, bulletin.pk, offer.pk, theme.pk)
    ]


def test_key_messages_without_booking_follow_the_organisations_priorities(evaluations):
    contact = factories.ProviderContactFactory()
    wellbeing = factories.ThemeFactory(name="Wellbeing", position=2)
    contact.organisation.priorities.add(wellbeing)
    fair = Evaluation.objects.get(rating=5).event
    Evaluation.objects.create(event=fair, user=contact.user, rating=4, key_messages="Time to train matters most.")

    groups = key_messages_by_theme(evaluations["period"])

    assert [g.theme for g in groups] == ["Maths", "Wellbeing", NO_THEME]
    assert groups[1].messages == [("Exeter fair", "Time to train matters most.", 4)]


def test_tracked_link_head_request_redirects_without_recording(client):
    response = client.head(tracked_path("/events/"))

    assert response.status_code == 302
    assert Signal.objects.count() == 0


@pytest.mark.django_db(transaction=True)
def test_tracked_link_to_deleted_offer_still_redirects_and_counts(client):
    offer = factories.OfferFactory(slug="gone")
    path = tracked_path("/offers/gone/", offer=offer.pk, theme=987654)
    offer.delete()

    response = client.get(path)

    assert response.status_code == 302
    assert response["Location"] == "/offers/gone/"
    assert Signal.objects.get().kind == SignalKind.BULLETIN_CLICK


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_digest_concurrent_runs_send_once(coordinators):
    import threading

    from django.db import connection

    barrier = threading.Barrier(4)
    results, errors = [], []

    def run():
        try:
            barrier.wait(timeout=10)
            results.append(weekly_digest_send(today=dt.date(2026, 11, 25)))
        except Exception as error:  # noqa: BLE001 - collected and asserted below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert errors == []
    assert sorted(results) == [0, 0, 0, 2]
    assert len(mail.outbox) == 2
    assert InsightDigest.objects.count() == 1
