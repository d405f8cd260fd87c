"""In a real browser: sign in, open a case, record a contact and see it on the timeline, in English and
German; axe-core (vendored) finds no serious or critical accessibility violation on the main pages."""

from __future__ import annotations

import uuid

import pytest

from tandem.tests.live import ROOT, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(databases=[])]

AXE = ROOT / "tandem" / "static" / "vendor" / "axe-4.14.1.min.js"
USERNAME = "cm.nord"


def axe_violations(page) -> list[dict]:
    page.evaluate(AXE.read_text())
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [
        {"id": v["id"], "impact": v["impact"], "help": v["help"], "nodes": [n["target"] for n in v["nodes"]][:5]}
        for v in result["violations"] if v["impact"] in {"serious", "critical"}
    ]


@pytest.mark.parametrize("locale,english_phrase", [("en-GB", None), ("de-DE", "Add a contact")])
def test_sign_in_open_case_record_contact(server, browser, locale, english_phrase):
    from playwright.sync_api import expect

    context = browser.new_context(locale=locale, base_url=server.url)
    page = context.new_page()
    problems: list[str] = []
    page.on("console", lambda msg: problems.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: problems.append(str(exc)))

    page.goto("/accounts/login/")
    assert page.evaluate("document.documentElement.lang") == locale[:2]
    sign_in(page, server, USERNAME)
    assert axe_violations(page) == [], "caseload"

    page.goto("/cases/")
    assert axe_violations(page) == [], "case list"
    page.goto("/cases/?state=active")
    page.locator("main table tbody tr a").first.click()
    page.wait_for_url("**/cases/*/")
    assert axe_violations(page) == [], "case page"
    if english_phrase:
        assert english_phrase not in page.content(), "the page is not translated"

    # A few keystrokes: "c" jumps to the contact form, the defaults are sensible, the note is typed.
    note = f"Browser note {uuid.uuid4().hex[:8]}: talked about the apprenticeship."
    page.locator("body").press("c")
    focused = page.evaluate("document.activeElement.closest('form') && document.activeElement.closest('form').dataset.shortcut")
    assert focused == "contact"
    page.fill("#add-contact textarea[name=note]", note)
    page.locator("#add-contact button[type=submit]").click()
    expect(page.locator("#timeline")).to_contain_text(note, timeout=10000)
    page.reload()
    expect(page.locator("#timeline")).to_contain_text(note)
    assert not [p for p in problems if "favicon" not in p], problems
    context.close()
