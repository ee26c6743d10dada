"""One offer's page, asking about it, the feed, programmes and the glossary."""

import xml.etree.ElementTree as ET
from email import message_from_bytes, policy

import pytest
from django.test import override_settings

from brokerage.catalogue import emails
from brokerage.models import Enquiry
from programmes.choices import OfferStatus
from tests_support import factories

pytestmark = pytest.mark.django_db


def test_offer_page_shows_facts_contact_and_pathway(client, catalogue):
    first = catalogue["a"]
    nxt = catalogue["c"]
    nxt.builds_on.add(first)
    hidden = factories.OfferFactory(title="Hidden draft follow-on", status=OfferStatus.DRAFT)
    hidden.builds_on.add(first)
    body = client.get(first.get_absolute_url()).content.decode()
    assert "Maths coaching for teachers" in body
    assert "Priya Shah" in body and "priya@programme.example" in body
    assert "Where to go next (it leads to)" in body and "Leading curriculum change" in body
    assert "Hidden draft follow-on" not in body
    body_next = client.get(nxt.get_absolute_url()).content.decode()
    assert "Take these first (it builds on them)" in body_next and "Maths coaching for teachers" in body_next
    assert "£120 per person" in body_next and "Available in every region" in body_next


def test_offer_page_unknown_slug_404(client, catalogue):
    assert client.get("/offers/no-such-offer/").status_code == 404


def test_enquiry_creates_row_and_emails_contact_after_commit(
    client, catalogue, mailoutbox, django_capture_on_commit_callbacks
):
    offer = catalogue["a"]
    data = {"name": "Sam Carter", "email": "sam@college.example", "organisation": "Exeter College",
            "message": "Is there a place for two of our maths tutors in March?"}
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(offer.get_absolute_url(), data, follow=True)
    enquiry = Enquiry.objects.get()
    assert (enquiry.offer, enquiry.contact, enquiry.email) == (offer, catalogue["contact"], "sam@college.example")
    assert mailoutbox == []  # nothing is sent before the transaction commits
    assert len(callbacks) == 3  # the email to the contact, its acknowledgement, and the insights enquiry signal
    for callback in callbacks:
        callback()
    assert [m.to for m in mailoutbox] == [["priya@programme.example"], ["sam@college.example"]]
    email = mailoutbox[0]
    assert email.to == ["priya@programme.example"]
    assert email.reply_to == ["sam@college.example"]
    assert "Maths coaching for teachers" in email.subject and "Sam Carter" in email.subject
    assert "two of our maths tutors in March" in email.body
    assert "two of our maths tutors in March" in email.alternatives[0][0]
    assert "Priya Shah will answer you at sam@college.example" in response.content.decode()


def test_enquiry_subject_carries_the_organisation_as_typed(catalogue, mailoutbox, django_capture_on_commit_callbacks):
    enquiry = factories.EnquiryFactory(
        offer=catalogue["a"], contact=catalogue["contact"], name="Sam Carter", organisation="O'Brien & Sons"
    )

    with django_capture_on_commit_callbacks(execute=True):
        emails.enquiry_notify_queue(enquiry=enquiry)

    assert mailoutbox[0].subject == "Question about “Maths coaching for teachers” from Sam Carter (O'Brien & Sons)"


def test_enquiry_name_with_line_breaks_gives_a_single_line_subject(catalogue, mailoutbox, django_capture_on_commit_callbacks):
    enquiry = factories.EnquiryFactory(
        offer=catalogue["a"], contact=catalogue["contact"], name="Sam\r\nBcc: victim@example.org\r\n"
    )

    with django_capture_on_commit_callbacks(execute=True):
        emails.enquiry_notify_queue(enquiry=enquiry)

    expected = "Question about “Maths coaching for teachers” from Sam Bcc: victim@example.org"
    assert mailoutbox[0].subject == expected
    sent = message_from_bytes(mailoutbox[0].message().as_bytes(), policy=policy.default)
    assert sent["Subject"].strip() == expected  # the parser unfolds the header; strip the fold's leading space
    assert sent["Bcc"] is None
    assert mailoutbox[0].recipients() == ["priya@programme.example"]


def test_enquiry_invalid_keeps_what_was_typed(client, catalogue, mailoutbox):
    offer = catalogue["a"]
    response = client.post(offer.get_absolute_url(), {"name": "Sam Carter", "email": "not-an-email", "message": ""})
    body = response.content.decode()
    assert response.status_code == 200
    assert Enquiry.objects.count() == 0 and mailoutbox == []
    assert 'value="Sam Carter"' in body and 'value="not-an-email"' in body
    assert "Enter a valid email address." in body and "This field is required." in body


@override_settings(ENQUIRY_FALLBACK_EMAIL="team@brokerage.example")
def test_enquiry_without_contact_goes_to_team(client, catalogue, mailoutbox, django_capture_on_commit_callbacks):
    offer = factories.OfferFactory(title="Orphan offer", contact=None)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(offer.get_absolute_url(), {"name": "Sam", "email": "s@c.example", "message": "Hello there"},
                               follow=True)
    assert [m.to for m in mailoutbox] == [["team@brokerage.example"], ["s@c.example"]]
    assert "The brokerage team will answer you" in response.content.decode()



def test_enquiry_on_unpublished_offer_404(client, catalogue):
    response = client.post("/offers/draft-maths/", {"name": "Sam", "email": "s@c.example", "message": "Hello there"})
    assert response.status_code == 404
    assert Enquiry.objects.count() == 0


def test_feed_lists_published_offers_newest_first(client, catalogue):
    response = client.get("/offers/feed/")
    assert response["Content-Type"].startswith("application/atom+xml")
    root = ET.fromstring(response.content)
    ns = {"a": "http://www.w3.org/2005/Atom"}
    titles = [entry.find("a:title", ns).text for entry in root.findall("a:entry", ns)]
    assert titles[:3] == ["Leading curriculum change", "Teaching reading workshop", "Maths coaching for teachers"]
    assert len(titles) == 3  # no draft, archived or past offer


def test_programme_pages_list_current_offers(client, catalogue):
    listing = client.get("/programmes/").content.decode()
    assert "Better maths teaching" in listing and "Skills for Life support" in listing
    detail = client.get("/programmes/better-maths/").content.decode()
    assert "Maths coaching for teachers" in detail
    assert "Secret maths draft" not in detail and "Last year&#x27;s maths conference" not in detail
    assert client.get("/programmes/no-such/").status_code == 404


def test_glossary_lists_terms(client, db):
    factories.GlossaryTermFactory(acronym="ESOL", slug="esol", meaning="English for speakers of other languages")
    body = client.get("/glossary/").content.decode()
    assert '<abbr title="English for speakers of other languages">ESOL</abbr>' in body
    assert "/offers/?q=ESOL" in body


def test_urls_reverse_by_name():
    from django.urls import reverse

    assert reverse("catalogue:offer_list") == "/offers/"
    assert reverse("catalogue:feed") == "/offers/feed/"
    assert reverse("programmes:programme_list") == "/programmes/"
    assert reverse("programmes:glossary") == "/glossary/"
    assert reverse("account:home") == "/account/"


def test_admin_review_overdue_filter(client, coordinator, catalogue):
    import datetime as dt

    from django.utils import timezone

    catalogue["b"].last_reviewed_on = timezone.localdate() - dt.timedelta(days=200)
    catalogue["b"].save()
    client.force_login(coordinator)
    response = client.get("/admin/programmes/offer/", {"review": "overdue"})
    assert [o.slug for o in response.context["cl"].result_list] == ["reading-workshop"]


def test_offer_page_unlisted_contact_shows_name_but_no_email_or_phone(client):
    hidden = factories.RegionalWorkerFactory(
        is_listed=False, public_email="hidden.worker@programme.example", phone="01234 567890",
        user=factories.UserFactory(first_name="Gwen", last_name="Hidden", email="gwen@programme.example"),
    )
    offer = factories.OfferFactory(contact=hidden, title="Communicating school change")

    page = client.get(offer.get_absolute_url()).content.decode()

    assert "Gwen Hidden" in page
    assert "hidden.worker@programme.example" not in page and "gwen@programme.example" not in page
    assert "01234" not in page
    assert f"/network/{hidden.slug}/" not in page  # their directory page is hidden too
    assert "Ask them about this offer with the form on this page." in page


def test_offer_page_names_the_next_surgeries_of_its_programme_at_published_fairs(client):
    import datetime as dt

    from events.choices import EventStatus
    from tests_support.clock import TEST_NOW
    from tests_support.welsh import main_text

    programme = factories.ProgrammeFactory()
    offer = factories.OfferFactory(programme=programme)
    soon = factories.JointEventFactory(title="Exeter fair")
    later = factories.JointEventFactory(title="Truro fair", starts_at=soon.starts_at + dt.timedelta(days=7),
                                        ends_at=soon.ends_at + dt.timedelta(days=7))
    draft = factories.JointEventFactory(title="Draft fair", status=EventStatus.DRAFT)
    past_start = TEST_NOW - dt.timedelta(days=300)
    past = factories.JointEventFactory(
        title="Last year's fair", starts_at=past_start, ends_at=past_start + dt.timedelta(hours=6),
        booking_opens_at=past_start - dt.timedelta(days=30), booking_closes_at=past_start - dt.timedelta(days=1),
    )
    shown = {}
    for event, title in [(later, "Coaching <surgery>"), (soon, "Maths surgery"), (draft, "Hidden"), (past, "Gone")]:
        shown[title] = factories.SurgeryFactory(event=event, title=title, title_cy=f"{title} (cy)" if event == soon else None)
        shown[title].programmes.add(programme)
    factories.SurgeryFactory(event=soon, title="Another programme's surgery")

    link = f'href="{soon.get_absolute_url()}#surgery-{shown["Maths surgery"].pk}"'
    page = client.get(offer.get_absolute_url()).content.decode()
    text = main_text(page)
    welsh = client.get("/cy" + offer.get_absolute_url()).content.decode()

    assert "Talk it through at a fair" in text
    assert text.index("Maths surgery") < text.index("Coaching <surgery>") and "Exeter fair" in text
    assert link in page
    assert "Coaching &lt;surgery&gt;" in page
    assert [title for title in ("Hidden", "Gone", "Another programme's surgery") if title in text] == []
    assert "Maths surgery (cy)" in welsh
    assert 'lang="en">Coaching &lt;surgery&gt;</a>' in welsh  # no Welsh title yet: the English one, marked


def test_offer_page_without_surgeries_has_no_fair_section(client):
    offer = factories.OfferFactory()
    assert "Talk it through at a fair" not in client.get(offer.get_absolute_url()).content.decode()
