"""The provisioning commands, run the way an organisation scripts its set-up."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command

from accounts.models import ApiToken, User
from cases.models import Client
from programmes.models import Programme, Team
from vault.crypto import VaultError

pytestmark = pytest.mark.django_db


def run(*args: str, **kwargs) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out, stderr=io.StringIO(), **kwargs)
    return out.getvalue()


@pytest.fixture
def setup_org(tmp_path):
    run("create_organisation", "--name", "Lotsenhaus e.V.", "--slug", "lotsenhaus")
    run(
        "create_programme",
        "--organisation",
        "lotsenhaus",
        "--name",
        "Ausstieg Nord",
        "--sharing-policy",
        "statutory",
        "--setting",
        "prison",
        "--setting",
        "community",
        "--mandated",
    )
    run("create_team", "--organisation", "lotsenhaus", "--programme", "Ausstieg Nord", "--name", "Team Nord")
    password_file = tmp_path / "pw"
    password_file.write_text("a long and uncommon passphrase\n")
    return password_file


def test_organisation_programme_and_team_are_created(setup_org):
    programme = Programme.objects.get(name="Ausstieg Nord")
    assert programme.organisation.slug == "lotsenhaus"
    assert programme.sharing_policy == "statutory"
    assert programme.settings_served == ["prison", "community"]
    assert programme.voluntary and programme.mandated
    assert programme.topics.count() > 10
    assert Team.objects.get(name="Team Nord").programme == programme


def test_create_staff_with_team_and_organisation_roles(setup_org):
    output = run(
        "create_staff",
        "--username",
        "k.berger",
        "--organisation",
        "lotsenhaus",
        "--role",
        "practitioner:Team Nord",
        "--role",
        "supervisor:Team Nord",
        "--role",
        "programme_manager",
        "--first-name",
        "Kim",
        "--password-file",
        str(setup_org),
    )
    user = User.objects.get(username="k.berger")
    assert user.check_password("a long and uncommon passphrase")
    assert user.role_codes() == {"practitioner", "supervisor", "programme_manager"}
    assert user.supervised_team_ids() == [Team.objects.get(name="Team Nord").pk]
    assert "Created k.berger" in output and "supervisor in Team Nord" in output


def test_create_staff_refuses_a_weak_password(setup_org, tmp_path):
    weak = tmp_path / "weak"
    weak.write_text("password\n")
    with pytest.raises(CommandError, match="too short|too common"):
        run(
            "create_staff",
            "--username",
            "weak",
            "--organisation",
            "lotsenhaus",
            "--role",
            "practitioner:Team Nord",
            "--password-file",
            str(weak),
        )
    assert not User.objects.filter(username="weak").exists()


def test_create_staff_unknown_team_names_the_known_teams(setup_org):
    with pytest.raises(CommandError, match="has no team 'Team Süd'. Its teams: 'Team Nord'"):
        run(
            "create_staff",
            "--username",
            "x",
            "--organisation",
            "lotsenhaus",
            "--role",
            "practitioner:Team Süd",
            "--no-password",
        )


def test_create_staff_unknown_role_lists_the_roles(setup_org):
    with pytest.raises(CommandError, match="Unknown role 'caseworker'.*practitioner, specialist"):
        run(
            "create_staff",
            "--username",
            "x",
            "--organisation",
            "lotsenhaus",
            "--role",
            "caseworker:Team Nord",
            "--no-password",
        )


def test_create_staff_team_role_without_team_is_refused(setup_org):
    with pytest.raises(CommandError, match="write --role supervisor:TEAM_NAME"):
        run("create_staff", "--username", "x", "--organisation", "lotsenhaus", "--role", "supervisor", "--no-password")


def test_create_staff_organisation_role_with_team_is_refused(setup_org):
    with pytest.raises(CommandError, match="without a team"):
        run(
            "create_staff",
            "--username",
            "x",
            "--organisation",
            "lotsenhaus",
            "--role",
            "evaluator:Team Nord",
            "--no-password",
        )


def test_create_staff_unknown_organisation(setup_org):
    with pytest.raises(CommandError, match="Unknown organisation 'nowhere'. Known organisations: lotsenhaus"):
        run("create_staff", "--username", "x", "--organisation", "nowhere", "--role", "administrator", "--no-password")


def test_create_staff_taken_username(setup_org):
    run("create_staff", "--username", "x", "--organisation", "lotsenhaus", "--role", "administrator", "--no-password")
    with pytest.raises(CommandError, match="The username 'x' is taken"):
        run("create_staff", "--username", "x", "--organisation", "lotsenhaus", "--role", "evaluator", "--no-password")


def test_team_of_another_organisation_is_unknown(setup_org):
    run("create_organisation", "--name", "Other", "--slug", "other")
    with pytest.raises(CommandError, match="'other' has no team 'Team Nord'"):
        run(
            "create_staff",
            "--username",
            "x",
            "--organisation",
            "other",
            "--role",
            "practitioner:Team Nord",
            "--no-password",
        )


def test_issued_token_authenticates_once_and_revocation_ends_it(setup_org):
    run(
        "create_staff",
        "--username",
        "importer",
        "--organisation",
        "lotsenhaus",
        "--role",
        "practitioner:Team Nord",
        "--no-password",
    )
    user = User.objects.get(username="importer")
    assert not user.has_usable_password()
    with pytest.raises(CommandError, match="authenticator app"):
        run("issue_token", "--username", "importer")
    from accounts.testing import enrol_totp

    enrol_totp(user)  # a token only for someone with a second factor
    raw = run("issue_token", "--username", "importer", "--days", "7", "--name", "probation import").strip()
    token = ApiToken.find(raw)
    assert token is not None and token.user == user and token.name == "probation import"
    assert raw not in {token.digest, token.prefix}
    assert "Revoked 1 token of importer" in run("revoke_tokens", "--username", "importer")
    assert ApiToken.find(raw) is None


def test_issue_token_for_unknown_user():
    with pytest.raises(CommandError, match="No staff member with the username 'ghost'"):
        run("issue_token", "--username", "ghost")


def test_duplicate_organisation_and_team_are_refused(setup_org):
    with pytest.raises(CommandError, match="exists already"):
        run("create_organisation", "--name", "Again", "--slug", "lotsenhaus")
    with pytest.raises(CommandError, match="has a team named 'Team Nord' already"):
        run("create_team", "--organisation", "lotsenhaus", "--programme", "Ausstieg Nord", "--name", "Team Nord")
    with pytest.raises(CommandError, match="has no programme 'Elsewhere'"):
        run("create_team", "--organisation", "lotsenhaus", "--programme", "Elsewhere", "--name", "Team X")


def test_erase_client_by_the_supervisor(world):
    client_id = world.case.client_id
    output = run("erase_client", "--case", str(world.case.pk), "--actor", "supervisor", "--yes")
    assert "Erased client" in output
    client = Client.objects.get(pk=client_id)
    assert client.erased_at is not None
    with pytest.raises(VaultError):
        _ = Client.objects.get(pk=client_id).given_name


def test_erase_client_refused_for_a_practitioner_on_the_case(world):
    with pytest.raises(CommandError, match="only a supervisor of the case's team"):
        run("erase_client", "--case", str(world.case.pk), "--actor", "case_manager", "--yes")
    assert Client.objects.get(pk=world.case.client_id).erased_at is None


def test_erase_client_refused_for_another_team(world):
    with pytest.raises(CommandError, match="only a supervisor"):
        run("erase_client", "--case", str(world.other_case.pk), "--actor", "supervisor", "--yes")


def test_erase_client_asks_first(world, monkeypatch):
    monkeypatch.setattr("builtins.input", lambda prompt: "no")
    with pytest.raises(CommandError, match="Not confirmed"):
        run("erase_client", "--case", str(world.case.pk), "--actor", "supervisor")
    assert Client.objects.get(pk=world.case.client_id).erased_at is None
    monkeypatch.setattr("builtins.input", lambda prompt: "erase")
    run("erase_client", "--case", str(world.case.pk), "--actor", "supervisor")
    assert Client.objects.get(pk=world.case.client_id).erased_at is not None
