from django.contrib import admin

from cases.models import Case, Client, Contact
from planning.models import AgreementRevision, Goal, Need, Service

CASE_CONTENT_MODELS = {Case, Client, Contact, AgreementRevision, Need, Goal, Service}


def test_no_case_content_model_is_on_the_admin_site():
    from django.apps import apps

    registered = set(admin.site._registry)
    case_apps = {"cases", "planning", "vault", "audit"}
    assert not registered & CASE_CONTENT_MODELS
    assert not {m for m in registered if m._meta.app_label in case_apps}
    assert apps.get_model("accounts", "User") in registered


def test_administrator_manages_accounts_of_own_organisation(client, world):
    client.force_login(world.administrator)
    response = client.get("/admin/accounts/user/")
    assert response.status_code == 200
    assert b"case_manager" in response.content
    assert b"foreign_practitioner" not in response.content


def test_practitioner_cannot_enter_the_admin_site(client, world):
    client.force_login(world.case_manager)
    response = client.get("/admin/accounts/user/")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
