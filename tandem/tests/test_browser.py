"""In a real browser: sign in, open a case, record a contact and see it on the timeline, in English and
German; axe-core (vendored) finds no serious or critical accessibility violation on the main pages."""

from __future__ import annotations

import uuid

import pytest

from tandem.tests.live import ROOT, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(databases=[])]

AXE = ROOT / "tandem" / "static" / "vendor" / "axe-4.14.1.min.js"
USERNAME = "cm.nord"


def axe_violations(page, problems: list[str] | None = None) -> list[dict]:
    """Serious and critical axe-core findings. The page's own console errors before the check are kept;
    what axe itself triggers while it probes the page (it tries inline styles, which the CSP refuses) is not."""
    if problems is not None:
        page.wait_for_timeout(200)
        kept = len(problems)
    page.evaluate(AXE.read_text())
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    if problems is not None:
        page.wait_for_timeout(200)
        del problems[kept:]
    return [
        {"id": v["id"], "impact": v["impact"], "help": v["help"], "nodes": [n["target"] for n in v["nodes"]][:5]}
        for v in result["violations"]
        if v["impact"] in {"serious", "critical"}
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
    assert axe_violations(page, problems) == [], "caseload"

    page.goto("/cases/")
    assert axe_violations(page, problems) == [], "case list"
    page.goto("/cases/?state=active")
    page.locator("main table tbody tr a").first.click()
    page.wait_for_url("**/cases/*/")
    assert axe_violations(page, problems) == [], "case page"
    if english_phrase:
        assert english_phrase not in page.content(), "the page is not translated"

    # A few keystrokes: "c" jumps to the contact form, the defaults are sensible, the note is typed.
    note = f"Browser note {uuid.uuid4().hex[:8]}: talked about the apprenticeship."
    page.locator("body").press("c")
    focused = page.evaluate(
        "document.activeElement.closest('form') && document.activeElement.closest('form').dataset.shortcut"
    )
    assert focused == "contact"
    page.fill("#add-contact textarea[name=note]", note)
    page.locator("#add-contact button[type=submit]").click()
    expect(page.locator("#timeline")).to_contain_text(note, timeout=10000)
    page.reload()
    expect(page.locator("#timeline")).to_contain_text(note)
    assert not [p for p in problems if "favicon" not in p], problems
    context.close()


def test_new_staff_member_sets_up_the_second_factor(server, browser, tmp_path):
    """A fresh account: password, then the set-up page (QR code and key), a code from the key, recovery codes."""
    from playwright.sync_api import expect

    from accounts.otp import totp_code

    password = "a long and uncommon passphrase"
    username = f"new.{uuid.uuid4().hex[:6]}"
    password_file = tmp_path / "pw"
    password_file.write_text(password)
    server.manage(
        "create_staff",
        "--username",
        username,
        "--organisation",
        "bruecke",
        "--role",
        "evaluator",
        "--password-file",
        str(password_file),
    )
    context = browser.new_context(locale="en-GB", base_url=server.url)
    page = context.new_page()
    page.goto("/cases/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.press("input[name=password]", "Enter")
    page.wait_for_url("**/accounts/second-factor/set-up/**")
    expect(page.locator("svg.qr-code")).to_be_visible()
    assert axe_violations(page) == [], "set-up page"
    secret = page.locator("#totp-secret").inner_text().strip()
    page.fill("input[name=code]", totp_code(secret))
    page.press("input[name=code]", "Enter")
    expect(page.locator("#recovery-codes li")).to_have_count(10)
    page.get_by_role("link", name="continue").click()
    page.wait_for_url("**/cases/")
    # A new session of the same person asks for the code, not for a new set-up; a recovery code works once.
    codes_context = browser.new_context(locale="en-GB", base_url=server.url)
    other = codes_context.new_page()
    other.goto("/accounts/login/")
    other.fill("input[name=username]", username)
    other.fill("input[name=password]", password)
    other.press("input[name=password]", "Enter")
    other.wait_for_url("**/accounts/second-factor/**")
    assert "set-up" not in other.url
    context.close()
    codes_context.close()
