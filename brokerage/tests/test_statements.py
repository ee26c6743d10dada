"""The statements a UK public service publishes: /privacy/, /cookies/, /accessibility/, /contact/."""

import pytest
from django.conf import settings

pytestmark = pytest.mark.django_db


def text(response):
    return response.content.decode()


def test_privacy_page_states_what_why_how_long_who_and_rights(client, settings):
    settings.ENQUIRY_RETENTION_MONTHS = 18
    settings.SENT_EMAIL_RETENTION_DAYS = 60

    page = text(client.get("/privacy/"))

    for kind in ["Your account", "Organisation links", "Enquiries", "Bookings", "Waiting lists", "Evaluations",
                 "Bulletin subscriptions", "Sign-in records", "Insight signals"]:
        assert f"<strong>{kind}</strong>" in page
    assert "Public task" in page and "Legitimate interests" in page and "Consent" in page
    # The periods the retention task enforces, read from the settings it reads.
    assert "erased 18 months after you sent them" in page
    assert "deleted 60 days after they were sent" in page
    assert "deleted when the confirmation link expires, 7 days after it was sent" in page
    assert "they end 14 days after you last signed in" in page
    assert "The named regional worker" in page and "Coordinators" in page
    assert "ico.org.uk" in page and "0303 123 1113" in page


def test_cookies_page_lists_the_cookies_settings_set_and_no_analytics(client):
    page = text(client.get("/cookies/"))

    assert f"<code>{settings.SESSION_COOKIE_NAME}</code>" in page
    assert f"<code>{settings.CSRF_COOKIE_NAME}</code>" in page
    assert "<code>messages</code>" in page
    assert "no analytics" in page


def test_accessibility_page_follows_the_gov_uk_form_with_known_issues(client):
    page = text(client.get("/accessibility/"))

    assert f"This website is run by {settings.SITE_NAME}" in page
    assert "partially compliant" in page and "version 2.2" in page
    assert "not yet available in Welsh" in page and "marked as English" in page
    assert "administration pages" in page and "not yet with the HTML checker" in page  # what is unchecked
    assert "Equality and Human Rights Commission (EHRC)" in page
    assert "This statement was prepared on 1 December 2026" in page


def test_contact_page_gives_the_address_and_what_to_expect(client):
    page = text(client.get("/contact/"))

    assert f'href="mailto:{settings.CONTACT_EMAIL}"' in page
    assert "We reply within 5 working days" in page


def test_home_page_footer_links_every_statement(client):
    page = text(client.get("/"))

    footer = page[page.index("<footer"):]
    for path in ["/privacy/", "/cookies/", "/accessibility/", "/contact/"]:
        assert f'href="{path}"' in footer
