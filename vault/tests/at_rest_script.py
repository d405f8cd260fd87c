"""Run inside a real Tandem process (manage.py shell) by test_at_rest: fills every sealed field."""

from __future__ import annotations

import datetime as dt
import hashlib
import json

from django.apps import apps
from django.utils import timezone

from vault.crypto import key_scope
from vault.fields import SealedField


def sealed_fields() -> list[tuple[type, str]]:
    return [(m, f.attname) for m in apps.get_models() for f in m._meta.concrete_fields if isinstance(f, SealedField)]


SENTINEL_DATE = "1907-02-19"  # a date no fixture uses, searched for like the marker


def populate(marker: str) -> None:
    from accounts.services import staff_create
    from cases import services
    from planning import services as plan
    from programmes.services import organisation_create, programme_create, team_create
    from vault.models import ClientKey

    with key_scope():
        tag = hashlib.sha256(marker.encode()).hexdigest()[:10]  # unique per run, and not the marker itself
        org = organisation_create(name=f"Organisation {tag}", slug=f"org-{tag}")
        programme = programme_create(organisation=org, name="Sentinel programme")
        team = team_create(programme=programme, name="Sentinel team")
        a = staff_create(username=f"s1-{org.slug}", password=None, organisation=org, roles=[("practitioner", team)])
        b = staff_create(username=f"s2-{org.slug}", password=None, organisation=org, roles=[("practitioner", team)])
        identity = {f: f"{marker}-{f}" for f in services.IDENTITY_FIELDS}
        identity["date_of_birth"] = SENTINEL_DATE
        case = services.enquiry_create(actor=a, programme=programme, team=team, identity=identity,
                                       referral_source="self", setting="community", participation="voluntary",
                                       ideology="islamist")
        services.client_identity_update(actor=a, client=case.client, date_of_birth=SENTINEL_DATE,
                                        aliases=f"{marker}-aliases\n{marker}-alias2", reason=f"{marker}-correction")
        services.assignment_add(actor=a, case=case, staff=a, role="case_manager")
        services.assignment_add(actor=a, case=case, staff=b, role="co_worker")
        services.case_transition(actor=a, case=case, to_state="screening", note=f"{marker}-transition")
        services.contact_record(actor=a, case=case, occurred_at=timezone.now() - dt.timedelta(hours=1),
                                duration_minutes=30, kind="phone", participants=["client"], note=f"{marker}-contact")
        plan.agreement_revise(actor=a, case=case, objectives=f"{marker}-objectives", commitments=f"{marker}-commitments",
                              agreed_on=timezone.localdate(), confirmation="verbal", base_number=0)
        need = plan.need_add(actor=a, case=case, domain="functional", description=f"{marker}-need")
        goal = plan.goal_add(actor=a, need=need, description=f"{marker}-goal")
        plan.service_add(actor=a, goal=goal, kind="tangible", name="Housing", details=f"{marker}-service")
        from rights import services as rights

        rights.restriction_set(actor=a, client=case.client, reason=f"{marker}-restriction")
        rights.restriction_lift(actor=a, client=case.client, reason=f"{marker}-lifted")
        hold = rights.legal_hold_place(actor=a, client=case.client, basis="other", reason=f"{marker}-hold")
        rights.legal_hold_release(actor=a, hold=hold)
        # Every sealed field of every model must now hold the marker somewhere, or the test is incomplete.
        missing = []
        for model, attname in sealed_fields():
            if not any(marker in (v := getattr(obj, attname) or "") or v == SENTINEL_DATE for obj in model.objects.all()):
                missing.append(f"{model._meta.label}.{attname}")
        wrapped = bytes(ClientKey.objects.get(client_id=case.client_id).wrapped).hex()
    print("AT_REST " + json.dumps({"missing": missing, "client": str(case.client_id), "wrapped": wrapped}))


def erase(client_id: str) -> None:
    from cases import services
    from cases.models import Client

    with key_scope():
        services.client_erase(actor=None, client=Client.objects.get(pk=client_id))
    print("ERASED")


def try_open(client_id: str) -> None:
    """Try every sealed value of the client; print how many opened."""
    from vault.crypto import VaultError

    opened, refused = 0, 0
    with key_scope():
        for model, attname in sealed_fields():
            for obj in model.objects.all():
                if str(obj.vault_client_id()) != client_id or obj.__dict__.get(attname) is None:
                    continue
                try:
                    getattr(obj, attname)
                    opened += 1
                except VaultError:
                    refused += 1
    print("OPEN " + json.dumps({"opened": opened, "refused": refused}))
