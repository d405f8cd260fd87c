"""In a real browser: plan a release on a Friday and see the warning on the case, then acknowledge it."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from tandem.tests.live import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(databases=[])]


def test_plan_a_release_on_a_friday_and_see_the_warning(server, browser):
    from playwright.sync_api import expect

    context = browser.new_context(locale="en-GB", base_url=server.url)
    page = context.new_page()
    problems: list[str] = []
    page.on("pageerror", lambda exc: problems.append(str(exc)))
    sign_in(page, server, "cm.haft")

    page.goto("/cases/?state=transition")
    page.locator("main table tbody tr a").first.click()
    page.wait_for_url("**/cases/*/")
    page.locator("#release").get_by_role("link", name=re.compile("^(Edit the release plan|Plan the release)$")).click()

    today = dt.date.today()
    friday = today + dt.timedelta(days=(4 - today.weekday()) % 7 + 21)
    page.locator("#id_release_on").fill(friday.isoformat())
    page.locator("#id_housing").fill("Assisted-living flat from the first night")
    page.get_by_role("button", name="Save the release plan").click()
    page.wait_for_url("**/cases/*/#release")

    warning = page.locator("#release .release-warning").filter(has_text="is a Friday")
    expect(warning).to_be_visible()
    expect(page.locator("#release")).to_contain_text("Assisted-living flat from the first night")
    warning.get_by_role("button", name="Acknowledge").click()
    expect(page.locator("#release .release-warning").filter(has_text="is a Friday")).to_have_count(0)
    expect(page.locator("#release")).to_contain_text("Acknowledged by")
    assert problems == []
    context.close()
