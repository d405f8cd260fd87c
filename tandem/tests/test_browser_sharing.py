"""In a real browser: record a consent, share information that the policy allows and some that it refuses,
and see both in the case's disclosure register."""

from __future__ import annotations

import uuid

import pytest

from tandem.tests.live import fresh_code, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(databases=[])]

USERNAME = "cm.nord"


def _reauthenticate_if_asked(page) -> None:
    from demo.content import DEMO_PASSWORD, DEMO_TOTP_SECRET

    if "/accounts/reauth/" in page.url or page.locator("form input[name=code]").count():
        page.fill("input[name=password]", DEMO_PASSWORD)
        page.fill("input[name=code]", fresh_code(DEMO_TOTP_SECRET, USERNAME))
        page.locator("main form button[type=submit]").first.click()
        page.wait_for_url("**/sharing/share/")


def test_consent_allowed_and_refused_disclosure_in_the_register(server, browser):
    from playwright.sync_api import expect

    context = browser.new_context(locale="en-GB", base_url=server.url)
    page = context.new_page()
    sign_in(page, server, USERNAME)
    page.goto("/cases/?state=active")
    page.locator("main table tbody tr a").first.click()
    page.wait_for_url("**/cases/*/")
    case_url = page.url.split("#")[0]

    # The client agrees that the health service may know who they are, for health care.
    page.locator("#sharing").get_by_role("link", name="Record a consent").click()
    page.select_option("select[name=recipient_category]", "health")
    page.check("input[name=data_categories][value=identity]")
    page.select_option("select[name=purpose]", "health_care")
    page.select_option("select[name=form]", "written")
    page.get_by_role("button", name="Record the consent").click()
    page.wait_for_url(case_url + "#sharing")
    expect(page.locator("#sharing")).to_contain_text("Health services")

    # Allowed: identity to the health service, on that consent.
    message = f"Appointment request {uuid.uuid4().hex[:6]}"
    page.goto(case_url + "sharing/share/")
    _reauthenticate_if_asked(page)
    page.select_option("select[name=recipient_category]", "health")
    page.check("input[name=data_categories][value=identity]")
    page.select_option("select[name=purpose]", "health_care")
    page.select_option("select[name=ground]", "consent")
    page.fill("textarea[name=content]", message)
    page.get_by_role("button", name="Share", exact=True).click()
    page.wait_for_url(case_url + "#sharing")
    expect(page.locator(".message--success")).to_contain_text("Shared and recorded")

    # Refused: the progress of the work never goes to the police under the independent policy.
    page.goto(case_url + "sharing/share/")
    _reauthenticate_if_asked(page)
    page.select_option("select[name=recipient_category]", "police")
    page.check("input[name=data_categories][value=progress_summary]")
    page.select_option("select[name=purpose]", "safety")
    page.select_option("select[name=ground]", "consent")
    page.get_by_role("button", name="Share", exact=True).click()
    expect(page.locator(".message--error")).to_contain_text("never allows")

    # Both are in the register on the case page.
    page.goto(case_url)
    register = page.locator("#sharing")
    expect(register).to_contain_text("Disclosed")
    expect(register).to_contain_text("Refused")
    register.get_by_text("What was sent").first.click()
    expect(register).to_contain_text(message)
    context.close()
