"""A long bulletin stays under Gmail's clipping size and links to the rest on the web.

Gmail clips a message whose HTML passes about 102 KB and hides the rest,
the unsubscribe link included. A bulletin email shows each section's first
items and links to the section in the web archive; its HTML is held under
90 KB whatever the number and length of the items.
"""

import email
import email.policy
import re

import pytest
from django.urls import reverse

from brokerage.bulletins import services
from brokerage.bulletins.content import BulletinRenderer
from brokerage.choices import BulletinItemKind
from brokerage.models import BulletinItem
from programmes.models import Offer
from tests_support import factories

from .backends import outbox_recipients
from .conftest import subscriber
from .smtp_sink import SmtpSink

pytestmark = pytest.mark.django_db

GMAIL_CLIPS_AT = 102 * 1024
BUDGET = 90_000
# Long titles and summaries, with characters that grow when escaped.
LONG_TITLE = ("Teaching for mastery & reasoning: \"what works\" in Year 7's CPD, " * 4)[:200]
LONG_SUMMARY = ("A long plain summary of what this offer is & why it helps teachers' practice <daily>. " * 6)[:400]


def _offers_in(bulletin, theme, count, *, start=0, title=LONG_TITLE, summary=LONG_SUMMARY):
    programme = factories.ProgrammeFactory()
    offers = Offer.objects.bulk_create(
        factories.OfferFactory.build(
            programme=programme, title=f"{n} {title}"[:200], slug=f"{theme.slug}-offer-{n}", summary=summary,
            is_national=True,
        )
        for n in range(start, start + count)
    )
    Offer.themes.through.objects.bulk_create(Offer.themes.through(offer=o, theme=theme) for o in offers)
    BulletinItem.objects.bulk_create(
        BulletinItem(bulletin=bulletin, kind=BulletinItemKind.OFFER, offer=o, position=start + n)
        for n, o in enumerate(offers)
    )
    return offers


@pytest.fixture
def huge_bulletin(db):
    """A year-long bulletin: 380 offers over 12 themes and 20 events, titles and summaries at their longest."""
    factories.GlossaryTermFactory(acronym="CPD", slug="cpd", meaning="Continuing professional development")
    bulletin = factories.BulletinFactory(title="The year in review", slug="the-year-in-review")
    for n in range(12):
        theme = factories.ThemeFactory(name=f"Theme number {n} with a longer name", slug=f"theme-{n}", position=n)
        _offers_in(bulletin, theme, 32 if n < 8 else 31, start=n * 100)
    for n in range(20):
        event = factories.JointEventFactory(title=LONG_TITLE, summary=LONG_SUMMARY[:300])
        BulletinItem.objects.create(bulletin=bulletin, kind=BulletinItemKind.EVENT, event=event, position=n)
    return bulletin


def _html_of(message):
    parsed = email.message_from_bytes(message, policy=email.policy.default)
    part = parsed.get_body(("html",))
    return part.get_content(), part.as_bytes()


def _sections_shown(html):
    """{section anchor: items shown} read back from the HTML."""
    shown, anchor = {}, None
    for line in html.splitlines():
        if "<h2 " in line and "What the letters mean" not in line:
            anchor = line
            shown[anchor] = 0
        elif "<h3 " in line and anchor:
            shown[anchor] += 1
    return list(shown.values())


def test_email_huge_bulletin_html_under_budget_each_section_capped(huge_bulletin):
    renderer = BulletinRenderer(huge_bulletin)
    everything = sum(renderer._entry_sizes.values())

    subject, text, html = renderer.render_for(name="Sam \"Example\" O'Neil", token=None)

    assert everything > GMAIL_CLIPS_AT  # without a cap it would be clipped
    print(f"all entries: {everything} bytes; email HTML: {len(html.encode())} bytes")
    assert len(html.encode()) + html.count("\n") < BUDGET
    shown = _sections_shown(html)
    assert len(shown) == 13  # 12 themes and the events
    assert max(shown) <= 8 and sum(shown) <= 60
    assert html.count("more on the web") == 13
    assert "Unsubscribe</a>" in html
    assert text.count("more on the web: http://127.0.0.1:8000/bulletins/the-year-in-review/#") == 13


def test_email_byte_budget_holds_when_the_caps_allow_more(huge_bulletin, settings):
    settings.BULLETIN_EMAIL_ITEMS_PER_SECTION = 100
    settings.BULLETIN_EMAIL_ITEMS_TOTAL = 1000

    _, _, html = BulletinRenderer(huge_bulletin).render_for(name="Sam", token=None)

    assert len(html.encode()) + html.count("\n") < BUDGET
    shown = _sections_shown(html)
    assert min(shown) >= 1  # every section still shows its first items
    assert sum(shown) < 400


def test_email_section_over_cap_links_to_the_rest_in_the_archive(themes, settings):
    bulletin = factories.BulletinFactory(title="Busy month", slug="busy-month")
    _offers_in(bulletin, themes["maths"], 10, title="Maths offer", summary="Short.")
    _offers_in(bulletin, themes["digital"], 3, start=100, title="Digital offer", summary="Short.")

    _, text, html = BulletinRenderer(bulletin).render_for(name="Sam", token=None)

    assert [int(n) for n in re.findall(r"(\d+) Maths offer", html)] == list(range(8))
    assert [int(n) for n in re.findall(r"(\d+) Digital offer", html)] == [100, 101, 102]
    assert "…and 2 more on the web: <a href=\"http://127.0.0.1:8000/bulletins/busy-month/#theme-maths\"" in html
    assert "...and 2 more on the web: http://127.0.0.1:8000/bulletins/busy-month/#theme-maths" in text
    assert html.count("more on the web") == 1


def test_email_total_cap_shares_items_out_section_by_section(themes, settings):
    settings.BULLETIN_EMAIL_ITEMS_TOTAL = 5
    bulletin = factories.BulletinFactory()
    _offers_in(bulletin, themes["maths"], 4, title="Maths offer", summary="Short.")
    _offers_in(bulletin, themes["digital"], 4, start=100, title="Digital offer", summary="Short.")

    _, _, html = BulletinRenderer(bulletin).render_for(name="Sam", token=None)

    assert _sections_shown(html) == [3, 2]
    assert html.count("…and 1 more on the web") == 1 and html.count("…and 2 more on the web") == 1


def test_email_glossary_only_for_items_shown(themes, settings):
    settings.BULLETIN_EMAIL_ITEMS_PER_SECTION = 1
    factories.GlossaryTermFactory(acronym="NCETM", slug="ncetm", meaning="National Centre for Excellence")
    bulletin = factories.BulletinFactory()
    _offers_in(bulletin, themes["maths"], 1, title="Plain first offer", summary="Short.")
    _offers_in(bulletin, themes["maths"], 1, start=1, title="NCETM second offer", summary="Short.")

    _, _, html = BulletinRenderer(bulletin).render_for(name="Sam", token=None)

    assert "Plain first offer" in html and "NCETM second offer" not in html
    assert "What the letters mean" not in html


def test_archive_sections_have_the_anchors_the_email_links_to(client, themes):
    bulletin = factories.BulletinFactory(slug="busy-month")
    _offers_in(bulletin, themes["maths"], 1, title="Maths offer", summary="Short.")
    services.bulletin_fan_out(bulletin_id=bulletin.pk)  # sent to nobody: now in the archive

    response = client.get("/bulletins/busy-month/")

    assert '<h2 class="h4 bulletin-theme" id="theme-maths">Maths and numeracy</h2>' in response.content.decode()


def test_preview_huge_bulletin_html_under_budget(client, coordinator, huge_bulletin):
    client.force_login(coordinator)

    response = client.get(reverse("admin:bulletins_bulletin_preview", args=[huge_bulletin.pk]))

    assert response.status_code == 200
    assert len(response.content) < BUDGET
    assert response.content.count(b"more on the web") == 13


def test_send_huge_bulletin_sent_html_part_under_budget(huge_bulletin, settings, django_capture_on_commit_callbacks):
    reader = subscriber("reader@example.org", name="Sam O'Neil")
    with SmtpSink() as sink:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", sink.port
        with django_capture_on_commit_callbacks(execute=True):
            services.bulletin_fan_out(bulletin_id=huge_bulletin.pk)
        [(rcpts, raw)] = sink.handler.messages

    html, part = _html_of(raw)
    assert rcpts == [reader.email]
    assert len(html.encode()) < BUDGET
    assert len(part) < BUDGET  # as transferred, headers and encoding included
    assert f"/bulletins/unsubscribe/{reader.token}/" in html


def test_send_test_copy_of_huge_bulletin_html_part_under_budget(
    huge_bulletin, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.bulletin_send_test(
            bulletin=huge_bulletin, to="coordinator@example.org", name="Coordinator", language="en-gb"
        )

    html, part = _html_of(mailoutbox[0].message().as_bytes(linesep="\r\n"))
    assert outbox_recipients() == ["coordinator@example.org"]
    assert len(html.encode()) < BUDGET and len(part) < BUDGET


def test_send_huge_bulletin_in_both_languages_stays_under_budget(huge_bulletin, settings,
                                                                 django_capture_on_commit_callbacks):
    reader = subscriber("reader@example.org", name="Sam O'Neil", language="")  # language not known: both
    with SmtpSink() as sink:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", sink.port
        with django_capture_on_commit_callbacks(execute=True):
            services.bulletin_fan_out(bulletin_id=huge_bulletin.pk)
        [(rcpts, raw)] = sink.handler.messages

    html, part = _html_of(raw)
    assert rcpts == [reader.email]
    assert len(html.encode()) < BUDGET and len(part) < BUDGET
    assert html.index('<div lang="cy">') < html.index('<div lang="en-GB" id="english">')
    assert html.count(f"/bulletins/unsubscribe/{reader.token}/") == 2  # a working link in each half
    assert "…a " in html and "more on the web" in html  # each half links to the rest
