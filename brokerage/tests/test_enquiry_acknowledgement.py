"""Someone who asks about an offer is told who will answer and when, with their question quoted as theirs."""

import pytest
from django.test import override_settings

from brokerage.catalogue import emails
from brokerage.models import Enquiry
from tests_support import factories

pytestmark = pytest.mark.django_db

QUESTION = "Is there a place for two of our maths tutors in March?\nWe are in Exeter."


def ask(client, offer, *, email="sam@college.example", name="Sam Carter", message=QUESTION, address="203.0.113.7"):
    data = {"name": name, "email": email, "organisation": "Exeter College", "message": message}
    return client.post(offer.get_absolute_url(), data, REMOTE_ADDR=address, follow=True)


def acknowledgements(mailoutbox, email="sam@college.example"):
    return [m for m in mailoutbox if m.to == [email]]


@override_settings(ENQUIRY_ANSWER_WORKING_DAYS=5)
def test_enquiry_acknowledgement_names_the_contact_and_the_wait(
    client, catalogue, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = ask(client, catalogue["a"])

    [ack] = acknowledgements(mailoutbox)
    assert ack.subject == "We have your question about “Maths coaching for teachers”"
    assert "Who will answer: Priya Shah, the named contact for this offer." in ack.body
    assert "When: usually within 5 working days, by email to this address." in ack.body
    assert ack.reply_to == ["priya@programme.example"]
    assert "usually within 5 working days. We have emailed you a copy." in response.content.decode()


@override_settings(ENQUIRY_FALLBACK_EMAIL="team@brokerage.example", ENQUIRY_ANSWER_WORKING_DAYS=3)
def test_enquiry_acknowledgement_without_a_contact_names_the_brokerage_team(client, mailoutbox, django_capture_on_commit_callbacks):
    offer = factories.OfferFactory(title="Orphan offer", contact=None)

    with django_capture_on_commit_callbacks(execute=True):
        ask(client, offer)

    [ack] = acknowledgements(mailoutbox)
    assert "Who will answer: the brokerage team.\n" in ack.body
    assert "usually within 3 working days" in ack.body
    assert ack.reply_to == ["team@brokerage.example"]


def test_enquiry_acknowledgement_quotes_the_question_as_theirs(catalogue, mailoutbox, django_capture_on_commit_callbacks):
    enquiry = factories.EnquiryFactory(offer=catalogue["a"], contact=catalogue["contact"], message=QUESTION)

    with django_capture_on_commit_callbacks(execute=True):
        emails.enquiry_acknowledgement_queue(enquiry=enquiry)

    [ack] = mailoutbox
    assert "> Is there a place for two of our maths tutors in March?\n> We are in Exeter.\n" in ack.body
    assert "----- End of your question -----" in ack.body
    assert "Below is the question as you typed it into our form" in ack.body


def test_enquiry_acknowledgement_escapes_markup_and_never_uses_the_typed_name(catalogue, mailoutbox, django_capture_on_commit_callbacks):
    enquiry = factories.EnquiryFactory(
        offer=catalogue["a"], contact=catalogue["contact"], email="victim@example.org",
        name="Your account is locked, visit evil.example",
        organisation="Official notice",
        message='<a href="https://evil.example">Claim your refund</a>',
    )

    with django_capture_on_commit_callbacks(execute=True):
        emails.enquiry_acknowledgement_queue(enquiry=enquiry)

    [ack] = mailoutbox
    html = ack.alternatives[0][0]
    assert ack.to == ["victim@example.org"] and ack.recipients() == ["victim@example.org"]
    assert '<a href="https://evil.example">' not in html
    assert "&lt;a href=&quot;https://evil.example&quot;&gt;Claim your refund&lt;/a&gt;" in html
    for text in (ack.subject, ack.body, html):
        assert "Your account is locked" not in text and "Official notice" not in text
    assert ack.body.startswith("Hello,\n")



def test_enquiry_limit_per_email_address_caps_the_acknowledgements(
    client, catalogue, settings, mailoutbox, django_capture_on_commit_callbacks
):
    settings.RATELIMIT_ENQUIRY_EMAIL = "2/d"
    with django_capture_on_commit_callbacks(execute=True):
        for index in range(2):
            ask(client, catalogue["a"], email="victim@example.org", address=f"203.0.113.{index + 1}")

        response = ask(client, catalogue["a"], email="Victim@Example.org", address="198.51.100.9")

    assert response.status_code == 429
    assert Enquiry.objects.count() == 2
    assert len(acknowledgements(mailoutbox, "victim@example.org")) == 2
