"""Email subjects: the text as typed, never HTML-escaped, always on one line."""

import pytest

from programmes.emails import header_text, render_subject


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
