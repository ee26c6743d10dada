"""Rendering emails: subjects as typed on one line, the triplet, attachments, the language."""

import datetime as dt

import pytest
from django.utils import translation

from programmes.emails import email_message, header_text, render_email, render_subject


@pytest.mark.parametrize(
    "value, expected",
    [
        ("Sam\r\nBcc: victim@example.org", "Sam Bcc: victim@example.org"),
        ("  two\n\nlines \t here ", "two lines here"),
        ("one\rline", "one line"),
        ("O'Brien & Sons", "O'Brien & Sons"),
    ],
)
def test_header_text_is_one_line(value, expected):
    assert header_text(value) == expected


def test_render_subject_keeps_typed_text_unescaped_on_one_line():
    context = {
        "offer": {"title": "Fractions <for> FE"},
        "enquiry": {"name": "Pat\r\nBcc: victim@example.org", "organisation": "O'Brien & Sons"},
    }

    subject = render_subject("emails/enquiry_subject.txt", context)

    assert subject == "Question about “Fractions <for> FE” from Pat Bcc: victim@example.org (O'Brien & Sons)"


def review_reminder_context():
    offer = {"pk": 7, "title": "Fractions <for> FE", "programme": {"plain_name": "Maths"},
             "last_reviewed_on": dt.date(2026, 5, 4)}
    return {"worker": {"name": "Ffion"}, "offers": [offer], "months": 5, "workspace_url": "/workspace/"}


def test_render_email_renders_the_triplet_with_attachments():
    email = render_email("offer_review_reminder", review_reminder_context(), language="en-gb",
                         attachments=[("a.ics", "text/calendar", "BEGIN:VCALENDAR")])

    message = email_message(email, to=["ffion@example.org"], reply_to=["team@example.org"])

    assert email.subject.startswith("1 offer to check")
    assert "last checked 4 May 2026" in email.text
    assert "Fractions &lt;for&gt; FE" in email.html  # escaped in HTML, as typed in text
    assert (message.to, message.reply_to) == (["ffion@example.org"], ["team@example.org"])
    assert message.alternatives[0][1] == "text/html"
    assert message.attachments == [("a.ics", "BEGIN:VCALENDAR", "text/calendar")]


def test_render_email_in_welsh_renders_in_welsh_and_leaves_the_language_as_it_was():
    email = render_email("offer_review_reminder", review_reminder_context(), language="cy")

    assert email.subject.startswith("1 cynnig i'w wirio")
    assert "gwiriwyd ddiwethaf 4 Mai 2026" in email.text  # Django's Welsh month name
    assert email.language == "cy"
    assert translation.get_language() == "en-gb"


def test_render_email_without_a_known_language_is_one_email_welsh_first():
    email = render_email("offer_review_reminder", review_reminder_context(), language="",
                         attachments=[("a.ics", "text/calendar", "BEGIN:VCALENDAR")])

    welsh_subject, english_subject = email.subject.split(" / ")
    # Each half names the portal in its own language.
    assert (welsh_subject, english_subject) == ("1 cynnig i'w wirio: Broceriaeth DPP y De-orllewin",
                                                "1 offer to check: South West CPD Brokerage")
    assert email.text.index("gwiriwyd ddiwethaf 4 Mai 2026") < email.text.index("last checked 4 May 2026")
    assert email.html.index('<div lang="cy">') < email.html.index('<div lang="en-GB" id="english">')
    assert email.html.count("<html") == 1 and email.html.count("<body") == 1  # one document, two parts
    assert email.attachments == (("a.ics", "text/calendar", "BEGIN:VCALENDAR"),)
    assert email.language == ""
