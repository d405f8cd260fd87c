import uuid

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError

from cases import services
from cases.models import Client, Contact
from vault import crypto
from vault.crypto import KeyDestroyed, VaultError
from vault.models import ClientKey
from vault.services import master_key_rotate


def _contact(world, note="Spoke about the move to a new flat."):
    from django.utils import timezone

    return services.contact_record(
        actor=world.case_manager,
        case=world.case,
        occurred_at=timezone.now(),
        duration_minutes=45,
        kind="face_to_face",
        participants=["client"],
        note=note,
    )


def test_sealed_value_round_trips_and_is_stored_as_ciphertext(world):
    contact = _contact(world, note="Er möchte die Ausbildung beginnen.")
    raw = Contact.objects.filter(pk=contact.pk).values_list("note", flat=True).get()
    assert b"Ausbildung" not in bytes(raw)
    assert Contact.objects.get(pk=contact.pk).note == "Er möchte die Ausbildung beginnen."


def test_ciphertext_moved_to_another_record_does_not_open(world):
    first = _contact(world, note="first note")
    second = _contact(world, note="second note")
    blob = bytes(Contact.objects.filter(pk=first.pk).values_list("note", flat=True).get())
    Contact.objects.filter(pk=second.pk).update(note=blob)
    crypto.forget_key(world.case.client_id)
    with pytest.raises(VaultError):
        _ = Contact.objects.get(pk=second.pk).note


def test_ciphertext_moved_to_another_field_does_not_open(world):
    client = Client.objects.get(pk=world.case.client_id)
    blob = bytes(Client.objects.filter(pk=client.pk).values_list("given_name", flat=True).get())
    Client.objects.filter(pk=client.pk).update(family_name=blob)
    with pytest.raises(VaultError):
        _ = Client.objects.get(pk=client.pk).family_name


def test_ciphertext_moved_to_another_client_does_not_open(world):
    mine = Client.objects.get(pk=world.case.client_id)
    theirs = Client.objects.get(pk=world.other_case.client_id)
    blob = bytes(Client.objects.filter(pk=mine.pk).values_list("given_name", flat=True).get())
    Client.objects.filter(pk=theirs.pk).update(given_name=blob)
    with pytest.raises(VaultError):
        _ = Client.objects.get(pk=theirs.pk).given_name


def test_erasure_destroys_the_key_and_every_value_of_the_client(world):
    contact = _contact(world, note="Talked about his sister's wedding.")
    other = _contact(world, note="unrelated")  # same client: also gone
    services.client_erase(actor=world.supervisor, client=world.case.client)
    assert ClientKey.objects.get(client_id=world.case.client_id).wrapped is None
    for pk in (contact.pk, other.pk):
        with pytest.raises(KeyDestroyed):
            _ = Contact.objects.get(pk=pk).note
    with pytest.raises(KeyDestroyed):
        _ = Client.objects.get(pk=world.case.client_id).given_name
    # Other clients are untouched.
    assert Client.objects.get(pk=world.other_case.client_id).given_name == "Jonas"


def test_blind_index_finds_client_by_exact_name_only(world):
    import access

    found = list(access.lookup_cases_by_name(world.case_manager, "  mira   OKONKWO-Lindqvist "))
    assert found == [world.case]
    assert list(access.lookup_cases_by_name(world.case_manager, "Mimi O.")) == [world.case]  # alias
    assert list(access.lookup_cases_by_name(world.case_manager, "Mira")) == []
    assert list(access.lookup_cases_by_name(world.case_manager, "Jonas Brandtmeier")) == []  # not on that case


def test_blind_index_is_keyed_and_scoped_not_a_plain_hash(world):
    import hashlib

    from cases.models import ClientName

    digests = set(ClientName.objects.filter(client_id=world.case.client_id).values_list("digest", flat=True))
    plain = hashlib.sha256(b"mira okonkwo-lindqvist").hexdigest()
    assert plain not in digests
    assert crypto.blind_index(world.org.pk, "Mira Okonkwo-Lindqvist") in digests
    assert crypto.blind_index(world.other_org.pk, "Mira Okonkwo-Lindqvist") not in digests


def test_master_key_rotation_keeps_every_value_readable(world, settings, tmp_path):
    from vault import keyring

    path = tmp_path / "keyring.json"
    path.write_text(keyring.load().to_json())
    settings.TANDEM_KEYRING = None
    settings.TANDEM_KEYRING_FILE = path
    keyring.load.cache_clear()
    try:
        contact = _contact(world, note="before rotation")
        old_id = keyring.load().active
        new_id, count, retired = master_key_rotate(retire_old=True)
        assert count == ClientKey.objects.filter(wrapped__isnull=False).count() > 0
        assert retired == [old_id]
        assert set(keyring.load().master_keys) == {new_id}
        assert set(ClientKey.objects.values_list("master_key_id", flat=True)) == {new_id}
        crypto.forget_key(world.case.client_id)
        assert Contact.objects.get(pk=contact.pk).note == "before rotation"
        assert Client.objects.get(pk=world.case.client_id).family_name == "Okonkwo-Lindqvist"
    finally:
        keyring.load.cache_clear()


def test_unclassified_field_fails_the_system_check(settings):
    from django.db import models

    class Unclassified(models.Model):
        secret = models.TextField()

        class Meta:
            app_label = "cases"

    try:
        with pytest.raises(SystemCheckError, match="has no data classification"):
            call_command("check")
    finally:
        from django.apps import apps

        del apps.get_app_config("cases").models["unclassified"]
        apps.clear_cache()


def test_identifying_field_in_clear_fails_the_system_check():
    from django.apps import apps
    from django.db import models

    from vault.classification import DataClass

    class ClearName(models.Model):
        id = models.UUIDField(primary_key=True, default=uuid.uuid4)
        name = models.CharField(max_length=10)
        data_classification = {"id": DataClass.TECHNICAL, "name": DataClass.IDENTIFYING}

        class Meta:
            app_label = "cases"

    try:
        with pytest.raises(SystemCheckError, match="stored in clear"):
            call_command("check")
    finally:
        del apps.get_app_config("cases").models["clearname"]
        apps.clear_cache()
