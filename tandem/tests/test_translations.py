"""The German catalogue: complete, not fuzzy, compiled from the current .po, and used by the pages."""

from __future__ import annotations

import ast
import gettext
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

LOCALE_DIR = Path(settings.BASE_DIR) / "locale" / "de" / "LC_MESSAGES"
PO_FILE = LOCALE_DIR / "django.po"
MO_FILE = LOCALE_DIR / "django.mo"

PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%[sd]|\{\w*\}|</?\w+>")


def po_entries(path: Path) -> list[dict]:
    """Each entry of a .po file as {"flags", "msgid", "msgid_plural", "msgstr": {index: text}}."""
    entries: list[dict] = []
    entry: dict | None = None
    field: tuple | None = None

    def fresh() -> dict:
        return {"flags": set(), "msgctxt": None, "msgid": None, "msgid_plural": None, "msgstr": {}}

    for raw in path.read_text(encoding="utf-8").splitlines() + [""]:
        line = raw.strip()
        if not line:
            if entry is not None and entry["msgid"] is not None:
                entries.append(entry)
            entry, field = None, None
            continue
        if entry is None:
            entry = fresh()
        if line.startswith("#~"):
            entry["flags"].add("obsolete")
        elif line.startswith("#,"):
            entry["flags"].update(flag.strip() for flag in line[2:].split(","))
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            if field[0] == "msgstr":
                entry["msgstr"][field[1]] += ast.literal_eval(line)
            else:
                entry[field[0]] += ast.literal_eval(line)
        else:
            keyword, _, text = line.partition(" ")
            value = ast.literal_eval(text)
            if keyword.startswith("msgstr"):
                index = int(keyword[7:-1]) if "[" in keyword else 0
                field = ("msgstr", index)
                entry["msgstr"][index] = value
            else:
                field = (keyword,)
                entry[keyword] = value
    return entries


@pytest.fixture(autouse=True)
def _language_restored():
    before = translation.get_language()
    yield
    translation.activate(before)


def test_every_message_is_translated_and_none_is_fuzzy():
    entries = po_entries(PO_FILE)
    assert len(entries) > 100
    header, messages = entries[0], entries[1:]
    assert header["msgid"] == "" and "Language: de" in header["msgstr"][0]
    problems = []
    for entry in entries:
        if "fuzzy" in entry["flags"] or "obsolete" in entry["flags"]:
            problems.append(("flagged", entry["msgid"], sorted(entry["flags"])))
    for entry in messages:
        expected = 2 if entry["msgid_plural"] is not None else 1
        if len(entry["msgstr"]) != expected or not all(text.strip() for text in entry["msgstr"].values()):
            problems.append(("untranslated", entry["msgid"]))
            continue
        if entry["msgid_plural"] is None:
            if sorted(PLACEHOLDER.findall(entry["msgstr"][0])) != sorted(PLACEHOLDER.findall(entry["msgid"])):
                problems.append(("placeholders differ", entry["msgid"], entry["msgstr"][0]))
            continue
        # German has the same two forms as English: the plural form keeps every placeholder of
        # msgid_plural, the singular may leave out the count, as the English singular may.
        plural = set(PLACEHOLDER.findall(entry["msgid_plural"]))
        known = plural | set(PLACEHOLDER.findall(entry["msgid"]))
        if (
            set(PLACEHOLDER.findall(entry["msgstr"][1])) != plural
            or not set(PLACEHOLDER.findall(entry["msgstr"][0])) <= known
        ):
            problems.append(("placeholders differ", entry["msgid"], entry["msgstr"]))
    assert problems == []


def test_compiled_catalogue_matches_the_po_file(tmp_path):
    msgfmt = shutil.which("msgfmt")
    if msgfmt is None:
        pytest.skip("GNU gettext (msgfmt) is not installed")
    assert MO_FILE.exists(), "run: python manage.py compilemessages --ignore=.venv"
    fresh = tmp_path / "django.mo"
    subprocess.run([msgfmt, "--check-format", "-o", str(fresh), str(PO_FILE)], check=True, capture_output=True)
    with fresh.open("rb") as handle:
        expected = gettext.GNUTranslations(handle)._catalog
    with MO_FILE.open("rb") as handle:
        committed = gettext.GNUTranslations(handle)._catalog
    stale = sorted(str(key) for key in expected.keys() ^ committed.keys())
    stale += sorted(str(key) for key in expected.keys() & committed.keys() if expected[key] != committed[key])
    assert stale == [], "django.mo is out of date: run python manage.py compilemessages --ignore=.venv"


def test_login_page_in_german(client):
    response = client.get(reverse("login"), headers={"accept-language": "de"})
    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="de">' in html
    for german in ("Bei Tandem anmelden", "Benutzername", "Passwort", "Anmelden"):
        assert german in html
    for english in ("Sign in to Tandem", "Username", "Password", "Skip to main content"):
        assert english not in html


def test_login_page_stays_english_by_default(client):
    html = client.get(reverse("login")).content.decode()
    assert "Sign in to Tandem" in html and "Bei Tandem anmelden" not in html


def test_caseload_in_german_after_choosing_the_language(client, world):
    client.force_login(world.case_manager)
    response = client.post(reverse("set_language"), {"language": "de", "next": reverse("caseload")})
    assert response.status_code == 302
    response = client.get(reverse("caseload"))
    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="de">' in html
    assert world.case.client.pseudonym in html
    for german in (
        "<h1>Meine Fallübersicht</h1>",
        "Meine Fälle",
        "Tage seit dem letzten Kontakt",
        "Aktive Begleitung",
        "Fallverantwortliche:r",
        "Abmelden",
    ):
        assert german in html
    for english in ("My caseload", "My cases", "Days since last contact", "Active work", "Case manager", "Sign out"):
        assert english not in html


def test_caseload_in_german_from_the_browser_language(client, world):
    client.force_login(world.case_manager)
    html = client.get(reverse("caseload"), headers={"accept-language": "de-DE,de;q=0.9,en;q=0.5"}).content.decode()
    assert "<h1>Meine Fallübersicht</h1>" in html and "My caseload" not in html
