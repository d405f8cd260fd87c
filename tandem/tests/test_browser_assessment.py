"""In a real browser: complete an assessment on a demo case, see the chart, turn needs into plan goals."""

from __future__ import annotations

import pytest

from tandem.tests.live import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(databases=[])]
USERNAME = "cm.nord"


def test_complete_an_assessment_see_the_chart_and_create_goals(server, browser):
    from playwright.sync_api import expect

    context = browser.new_context(locale="en-GB", base_url=server.url)
    page = context.new_page()
    problems: list[str] = []
    page.on("pageerror", lambda exc: problems.append(str(exc)))
    sign_in(page, server, USERNAME)
    page.goto("/cases/?state=active")
    page.locator("main table tbody tr a").first.click()
    page.wait_for_url("**/cases/*/")
    expect(page.locator("#assessments")).to_be_visible()
    page.locator("#assessments a.button").click()
    page.wait_for_url("**/assessments/new/**")

    # Every item of the instrument: "Partly present" for concerns (needs), "Partly there" for strengths.
    for group in page.locator("fieldset.assessment-domain fieldset.field--choices").all():
        radios = group.locator("input[type=radio]")
        if radios.first.get_attribute("name").startswith("item__"):
            radios.nth(1).check()
    page.check("input[name=sources][value=interview]")
    page.check("input[name=final_level][value=moderate]")
    page.fill("textarea[name=rationale]", "Browser test: several sources agree on a moderate level.")
    page.locator("form.assessment-form button[type=submit]").click()
    page.wait_for_url("**/assessments/*/")
    expect(page.locator("main")).to_contain_text("Computed level (advisory)")

    # Needs to plan in one step.
    page.locator("input[name=need]").nth(0).check()
    page.locator("input[name=need]").nth(1).check()
    page.locator("#needs button[type=submit]").click()
    page.wait_for_url("**/cases/*/#plan")
    expect(page.locator(".messages")).to_contain_text("2 needs and goals were added to the plan")

    page.goto(page.url.split("#")[0] + "assessments/")
    expect(page.locator("#chart svg.chart").first).to_be_visible()
    assert page.locator("#chart polyline").count() > 0
    expect(page.locator("#chart table")).to_contain_text("Final rating")
    assert not problems, problems
    context.close()
