"""In a real browser: sign up, confirm the address from the email, be approved by a colleague, see the plan."""

import re

import pytest
from django.core import mail

from tests_support import factories

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(page, base, username):
    page.context.clear_cookies()
    page.goto(base + "/accounts/login/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill("test-password-123" if "sam" in username else "a-long-passphrase-2026")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()


def test_join_request_signup_confirm_approved_then_sees_the_plan(page, live_server, axe_check):
    exeter = factories.ProviderOrganisationFactory(name="Exeter College", slug="exeter-college")
    factories.ProviderContactFactory(organisation=exeter, user__username="sam.pearce@exeter-college.example")
    factories.PlanItemFactory(organisation=exeter, offer__title="Teaching GCSE maths resits in FE")
    base = live_server.url

    # Sign up, asking to join Exeter College.
    page.goto(base + "/accounts/signup/")
    page.locator("#id_first_name").fill("Hannah")
    page.locator("#id_last_name").fill("Ashworth")
    page.locator("#id_email").fill("Hannah.Ashworth@Exeter-College.example")
    page.locator("#id_password1").fill("a-long-passphrase-2026")
    page.locator("#id_password2").fill("a-long-passphrase-2026")
    page.get_by_role("radio", name="English", exact=True).check()  # her emails' language
    page.locator("#id_organisation").select_option(label="Exeter College")
    page.locator("#id_reason").fill("I lead CPD for the maths team.")
    page.get_by_role("button", name="Create account").click()
    assert page.locator("h1").first.inner_text() == "Check your email"
    assert "Teaching GCSE maths resits" not in page.content()
    assert axe_check() == []

    # Follow the emailed link.
    [message] = [m for m in mail.outbox if m.to == ["hannah.ashworth@exeter-college.example"]]
    path = re.search(r"https?://[^/\s]+(/accounts/confirm/\S+/)", message.body).group(1)
    page.goto(base + path)
    page.get_by_role("button", name="Confirm my email address").click()
    assert page.get_by_role("heading", name="Waiting for Exeter College").is_visible()
    assert "Teaching GCSE maths resits" not in page.content()
    assert mail.outbox[-1].to == ["sam.pearce@exeter-college.example"]

    # Her colleague approves.
    sign_in(page, base, "sam.pearce@exeter-college.example")
    page.goto(base + "/account/contacts/")
    assert axe_check() == []
    page.get_by_role("button", name="Approve hannah.ashworth@exeter-college.example").click()
    assert "now acts for Exeter College" in page.content()
    assert mail.outbox[-1].subject == "You now act for Exeter College"

    # She sees the organisation's plan.
    sign_in(page, base, "hannah.ashworth@exeter-college.example")
    page.goto(base + "/account/")
    assert page.locator("h1").first.inner_text() == "Exeter College"
    assert "Teaching GCSE maths resits in FE" in page.content()
