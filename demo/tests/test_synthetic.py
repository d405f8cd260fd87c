"""The synthetic national network: generated once per module inside a transaction rolled back afterwards."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

import access
from accounts.models import User
from accounts.otp import hex_key
from accounts.testing import TandemClient
from audit.models import AuditEntry
from audit.selectors import audit_verify
from cases.models import Case, CaseAssignment, CaseTransition, Client, ClientName, Contact
from demo import content as C
from demo.synthetic import ORGANISATION
from vault import crypto
from vault.crypto import key_scope
from vault.models import ClientKey

from .conftest import rolled_back

CASES, CONTACTS = 30, 600


@pytest.fixture(scope="module")
def synthetic(django_db_setup, django_db_blocker, tmp_path_factory):
    manifest = tmp_path_factory.mktemp("synthetic") / "manifest.json"
    with rolled_back(django_db_blocker):
        out = io.StringIO()
        call_command(
            "synthesize",
            "--cases",
            str(CASES),
            "--contacts",
            str(CONTACTS),
            "--seed",
            "11",
            "--jobs",
            "2",
            "--manifest",
            str(manifest),
            "--no-progress",
            stdout=out,
        )
        yield json.loads(manifest.read_text()), out.getvalue()


@pytest.fixture
def network(synthetic, db):
    with key_scope():
        yield synthetic[0]


def test_generates_the_requested_network(network):
    assert Case.objects.count() == CASES
    assert Contact.objects.count() == CONTACTS
    assert Client.objects.count() == ClientKey.objects.count() == CASES
    assert network["cases"] == CASES and network["contacts"] == CONTACTS
    assert len(set(Case.objects.values_list("state", flat=True))) >= 5
    staff = User.objects.filter(organisation__slug=ORGANISATION[1])
    assert 250 <= staff.count() <= 400
    assert Contact.topics.through.objects.count() >= CONTACTS
    # Every worked case has its tandem; every case starts with a signal in its history.
    for case in Case.objects.exclude(state__in=["signal", "screening", "under_review"]).exclude(state="closed"):
        roles = set(CaseAssignment.objects.current().filter(case=case).values_list("role", flat=True))
        assert {"case_manager", "co_worker"} <= roles
    assert CaseTransition.objects.filter(from_state="", to_state="signal").count() == CASES


def test_every_sealed_value_opens_under_its_own_row_only(network):
    contacts = list(Contact.objects.select_related("case"))
    for contact in contacts:
        assert contact.note  # opened with the real crypto, bound to this row
    first, second = (
        contacts[0],
        next(c for c in contacts if c.case.client_id == contacts[0].case.client_id and c.pk != contacts[0].pk),
    )
    with pytest.raises(crypto.VaultError):
        crypto.open_text(first.case.client_id, "cases.Contact", second.pk, "note", first.note.blob)
    for client in Client.objects.all():
        assert client.given_name and client.family_name and client.date_of_birth
        raw = Client.objects.filter(pk=client.pk).values_list("given_name", flat=True).get()
        assert str(client.given_name).encode() not in bytes(raw)
        with pytest.raises(crypto.VaultError):
            crypto.open_text(client.pk, "cases.Client", client.pk, "family_name", client.given_name.blob)
    for transition in CaseTransition.objects.exclude(note=None).select_related("case")[:50]:
        assert transition.note


def test_exact_name_lookup_finds_a_generated_client(network):
    named = network["exact_name"]
    manager = User.objects.get(username=named["case_manager"])
    found = access.lookup_cases_by_name(manager, named["name"])
    assert named["case"] in {str(pk) for pk in found.values_list("pk", flat=True)}
    assert ClientName.objects.filter(client_id=named["client"]).exists()


def test_case_manager_signs_in_with_the_demo_secrets_and_opens_the_long_timeline(network):
    timeline = network["long_timeline_case"]
    manager = User.objects.get(username=network["case_manager"])
    assert manager.check_password(C.DEMO_PASSWORD)
    assert TOTPDevice.objects.get(user=manager).key == hex_key(C.DEMO_TOTP_SECRET)
    assert timeline["contacts"] == Case.objects.get(pk=timeline["case"]).contacts.count()
    assert timeline["contacts"] >= max(c.contacts.count() for c in Case.objects.all())
    client = TandemClient()
    client.force_login(manager)
    page = client.get(reverse("case_detail", kwargs={"case_id": timeline["case"]}))
    assert page.status_code == 200
    newest = Case.objects.get(pk=timeline["case"]).contacts.order_by("-occurred_at").first()
    assert newest.note.split(".")[0].replace("'", "&#x27;") in page.content.decode()
    assert client.get(reverse("caseload")).status_code == 200
    named = network["exact_name"]
    own = TandemClient()
    own.force_login(User.objects.get(username=named["case_manager"]))
    assert own.get(reverse("case_detail", kwargs={"case_id": named["case"]})).status_code == 200
    case = Case.objects.get(pk=named["case"])
    outsider = (
        User.objects.filter(username__in=network["practitioners"])
        .exclude(assignments__case=case)
        .exclude(role_grants__team=case.team)
        .order_by("username")
        .first()
    )
    other = TandemClient()
    other.force_login(outsider)
    assert other.get(reverse("case_detail", kwargs={"case_id": named["case"]})).status_code == 404


def test_one_audit_entry_and_the_chain_verifies(network):
    assert AuditEntry.objects.filter(action="synthetic.generate").count() == 1
    assert audit_verify().ok


def test_refuses_a_database_with_cases_unless_appending(network, tmp_path):
    with pytest.raises(CommandError, match="has 30 cases already"):
        call_command("synthesize", "--cases", "3", "--contacts", "10", "--no-progress", stdout=io.StringIO())
    assert Case.objects.count() == CASES
    call_command(
        "synthesize",
        "--cases",
        "3",
        "--contacts",
        "10",
        "--append",
        "--jobs",
        "1",
        "--no-progress",
        "--manifest",
        str(tmp_path / "m.json"),
        stdout=io.StringIO(),
    )
    assert Case.objects.count() == CASES + 3
    assert Contact.objects.count() == CONTACTS + 10
    assert User.objects.filter(organisation__slug=ORGANISATION[1]).count() == len(network["practitioners"]) + len(
        network["supervisors"]
    ) + len(network["specialists"]) + len(network["programme_managers"]) + len(network["evaluators"]) + len(
        network["administrators"]
    )
    assert audit_verify().ok


def test_bad_arguments_are_refused(db):
    before = Case.objects.count()
    with pytest.raises(CommandError, match="either --size"):
        call_command("synthesize", "--size", "small", "--cases", "3", stdout=io.StringIO())
    with pytest.raises(CommandError, match="--size small"):
        call_command("synthesize", "--cases", "3", stdout=io.StringIO())
    assert Case.objects.count() == before
