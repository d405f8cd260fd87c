"""The demo programme: loaded once for this module, inside a transaction that is rolled back afterwards. Every
check of what the demo holds lives here, so that the test run seeds it once rather than once per file."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count, Max, Min
from django.utils import timezone

import access
from accounts.models import Role, User
from aftercare import selectors as aftercare_selectors
from aftercare.models import DailyRun, Notification, OnCallShift, ReleasePlan, SocialNetConference
from aftercare.services import phases_ensure
from audit.selectors import audit_verify
from cases.lifecycle import WORKED_STATES, ClosureReason, State
from cases.models import AssignmentRole, Case, CaseTransition, Client, Contact
from conferences.models import Conference, ConferenceAction, IdentityReveal
from demo import content
from planning.models import AgreementRevision, Goal, Service
from programmes.models import Organisation, Programme, Setting, Team
from referrals.models import InboundReferral, OutboundReferral
from rights.models import LegalHold, Restriction
from sharing.models import Consent, Disclosure, Outcome, Partner
from vault.crypto import key_scope


@pytest.fixture
def main_org(demo, db):
    return Organisation.objects.get(slug=content.ORGANISATION[1])


def test_seed_reports_what_it_loaded(demo, db):
    assert "Demo programme loaded" in demo and "contacts" in demo


def test_at_least_forty_cases_in_every_state_and_setting(main_org):
    cases = Case.objects.filter(programme__organisation=main_org)
    assert cases.count() >= 40
    assert set(cases.values_list("state", flat=True)) == set(State.values)
    assert set(cases.values_list("setting", flat=True)) == set(Setting.values)
    assert len(set(cases.values_list("ideology", flat=True))) >= 4
    assert len(set(cases.values_list("legal_status", flat=True))) >= 3
    assert len(set(cases.values_list("risk_level", flat=True))) >= 3
    assert 1 <= cases.filter(security_relevant=True).count() < cases.count() / 4


def test_closures_are_varied_and_some_cases_were_reopened(main_org):
    reasons = set(Case.objects.filter(state=State.CLOSED).values_list("closure_reason", flat=True))
    assert len(reasons) >= 5 and reasons <= set(ClosureReason.values)
    assert not reasons & {ClosureReason.DECEASED, ClosureReason.REOFFENDED}
    assert CaseTransition.objects.filter(from_state=State.CLOSED).exists()


def test_history_is_back_dated_in_order(main_org):
    for case in Case.objects.all():
        steps = list(case.transitions.order_by("at").values_list("from_state", "to_state"))
        assert steps[0] == ("", State.SIGNAL)
        assert all(a[1] == b[0] for a, b in zip(steps, steps[1:], strict=False)), steps
        assert steps[-1][1] == case.state


def test_teams_staff_and_roles(main_org):
    assert Team.objects.filter(programme__organisation=main_org).count() >= 3
    staff = User.objects.filter(organisation=main_org)
    roles = {role for user in staff for role in user.role_codes()}
    assert roles == set(Role.values)
    assert sum(1 for u in staff if u.has_role(Role.PRACTITIONER)) >= 8
    assert all(u.check_password(content.DEMO_PASSWORD) for u in staff)


def test_contacts_span_two_years_and_are_plentiful(main_org):
    contacts = Contact.objects.filter(case__programme__organisation=main_org)
    span = contacts.aggregate(first=Min("occurred_at"), last=Max("occurred_at"))
    assert (span["last"] - span["first"]).days >= 600
    assert 1500 <= contacts.count() <= 3000
    kinds = set(contacts.values_list("kind", flat=True))
    assert {"face_to_face", "phone", "prison_visit", "home_visit", "online", "group"} <= kinds
    assert not contacts.filter(topics__isnull=True).exists()
    note = contacts.filter(kind="prison_visit").first().note
    assert note and not any(name in note for name in content.GIVEN_MALE + content.GIVEN_FEMALE)


def test_every_worked_case_has_its_tandem_and_some_a_specialist(main_org):
    for case in Case.objects.filter(state__in=WORKED_STATES):
        assert {a.role for a in case.current_tandem} == {AssignmentRole.CASE_MANAGER, AssignmentRole.CO_WORKER}
    specialists = Case.objects.filter(assignments__role__in=["psychologist", "former", "ideology_expert"]).distinct()
    assert specialists.count() >= 8
    assert specialists.filter(assignments__ends_on__isnull=False).exists()


def test_agreements_have_revisions_and_plans_have_goals_and_services(main_org):
    per_case = AgreementRevision.objects.values("case").annotate(n=Count("id")).values_list("n", flat=True)
    assert len(per_case) >= 15 and max(per_case) >= 2 and max(per_case) <= 3
    goals = Goal.objects.filter(need__case__programme__organisation=main_org)
    assert goals.filter(status="achieved").exists()
    assert goals.filter(status__in=["planned", "in_progress"], target_date__lt=timezone.localdate()).exists()  # overdue
    services = Service.objects.filter(goal__need__case__programme__organisation=main_org)
    assert {"internal", "external"} <= set(services.values_list("provider", flat=True))
    assert services.filter(name__icontains="housing").exists()


def test_every_casework_login_sees_a_meaningful_caseload(main_org):
    for user in User.objects.filter(organisation__slug__in=[content.ORGANISATION[1], content.OTHER_ORGANISATION[1]]):
        if access.sees_case_content(user):
            minimum = 2 if user.organisation != main_org else 3
            assert access.cases_for(user).count() >= minimum, user.username
        else:
            assert not access.cases_for(user).exists()


def test_organisations_stay_apart(main_org):
    other = User.objects.get(username="lb.sup")
    assert access.cases_for(other).exists()
    assert not access.cases_for(other).filter(programme__organisation=main_org).exists()
    assert (
        not access.cases_for(User.objects.get(username="sup.nord")).exclude(programme__organisation=main_org).exists()
    )


def test_an_exclusion_beats_team_membership(main_org):
    user = User.objects.get(username="pr.sued")
    excluded = Case.objects.filter(client__exclusions__staff=user)
    assert excluded.exists()
    assert not access.cases_for(user).filter(pk__in=excluded).exists()


def test_the_audit_chain_is_intact_after_the_seed(demo, db):
    assert audit_verify().ok


def test_if_empty_is_idempotent(main_org):
    before = (Case.objects.count(), Contact.objects.count(), User.objects.count())
    out = io.StringIO()
    call_command("seed_demo", "--if-empty", stdout=out)
    assert "not loaded" in out.getvalue()
    assert (Case.objects.count(), Contact.objects.count(), User.objects.count()) == before


def test_seeding_twice_without_if_empty_is_refused(main_org):
    with pytest.raises(CommandError, match="loaded already"):
        call_command("seed_demo", stdout=io.StringIO())


def test_demo_logins_prints_the_address_logins_and_password(main_org):
    out = io.StringIO()
    call_command("demo_logins", "--port", "8123", stdout=out)
    text = out.getvalue()
    assert "http://127.0.0.1:8123/" in text and content.DEMO_PASSWORD in text
    for username in ("cm.nord", "sup.sued", "psy", "pm", "eval", "admin", "lb.cm"):
        assert f"  {username} " in text


def test_worked_cases_have_assessments_over_time_that_change(main_org):
    from django.db.models import F

    from assessments.models import Assessment

    active = Case.objects.filter(programme__organisation=main_org, state=State.ACTIVE)
    counts = [case.assessments.count() for case in active]
    assert counts and all(2 <= n <= 4 for n in counts), counts
    with key_scope():
        changed = 0
        for case in active:
            history = list(case.assessments.select_related("case").order_by("assessed_on"))
            if history[0].answers != history[-1].answers:
                changed += 1
            assert case.risk_level == history[-1].final_level
    assert changed == len(counts)
    assert (
        Assessment.objects.filter(case__programme__organisation=main_org)
        .exclude(final_level=F("computed_level"))
        .exists()
    )


def test_demo_staff_sign_in_with_the_documented_second_factor(main_org):
    import io

    from django.core.management import call_command
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from accounts.otp import totp_code

    staff = User.objects.filter(username__in=[s[0] for s in content.STAFF])
    assert staff.count() == len(content.STAFF)
    for user in staff:
        device = TOTPDevice.objects.get(user=user, confirmed=True)
        assert device.verify_token(totp_code(content.DEMO_TOTP_SECRET))
    out = io.StringIO()
    call_command("demo_logins", stdout=out)
    assert "python manage.py demo_totp" in out.getvalue() and content.DEMO_TOTP_SECRET in out.getvalue()
    out = io.StringIO()
    call_command("demo_totp", stdout=out)
    assert totp_code(content.DEMO_TOTP_SECRET) in out.getvalue() or "valid for" in out.getvalue()


# Release planning and aftercare: a Friday release nobody has acknowledged, released clients in their aftercare
# phases, an on-call roster with a gap and the daily job's notifications.


def test_demo_has_a_friday_release_warning_nobody_acknowledged(demo_db):
    today = timezone.localdate()
    upcoming = ReleasePlan.objects.filter(release_on__gt=today)
    assert upcoming.count() >= 3
    friday = upcoming.get(release_on__week_day=6)  # Django counts Sunday as 1
    warnings = {
        check.kind for plan, check in aftercare_selectors.open_release_warnings(Case.objects.filter(pk=friday.case_id))
    }
    assert "friday" in warnings
    assert ReleasePlan.objects.filter(acknowledgements__isnull=False).exists()


def test_demo_has_released_clients_below_frequency_and_notifications(demo_db):
    today = timezone.localdate()
    statuses = aftercare_selectors.frequency_statuses(Case.objects.all(), today)
    assert len(statuses) >= 2
    assert {status.phase.kind for _plan, status in statuses} & {"intensive", "high"}
    assert SocialNetConference.objects.filter(kind="follow_up").exists()
    assert OnCallShift.objects.exists()
    run = DailyRun.objects.get(day=today)
    assert run.notifications_created == Notification.objects.count() > 0
    assert Notification.objects.filter(kind="release_check").exists()


def test_demo_has_a_released_client_in_every_aftercare_phase(demo_db):
    programme = Programme.objects.get(name__startswith="Brücke")
    phases = phases_ensure(programme)
    today = timezone.localdate()
    covered = set()
    for plan in ReleasePlan.objects.filter(case__programme=programme, release_on__lte=today):
        months = (today.year - plan.release_on.year) * 12 + today.month - plan.release_on.month
        current = [p for p in phases if p.starts_month <= months][-1]
        covered.add(current.pk)
    assert covered == {p.pk for p in phases}


# Case conferences, referrals, sharing and data protection.


def test_demo_shows_conferences_actions_a_reveal_and_referrals_both_ways(demo_db):
    assert Conference.objects.filter(status="held").exists() and Conference.objects.filter(status="scheduled").exists()
    assert ConferenceAction.objects.filter(status="open").count() >= 2
    assert IdentityReveal.objects.count() == 1 and IdentityReveal.objects.get().disclosures
    assert InboundReferral.objects.filter(status="pending").count() >= 3
    assert {"declined", "referred_on"} <= set(InboundReferral.objects.values_list("status", flat=True))
    assert {"first_appointment", "declined", "sent"} <= set(OutboundReferral.objects.values_list("status", flat=True))


def test_demo_shows_partners_consents_disclosures_and_a_refusal(demo_db):
    assert set(Partner.objects.values_list("category", flat=True)) >= {
        "police",
        "probation",
        "employment",
        "social_welfare",
        "health",
    }
    assert Consent.objects.count() >= 4 and Consent.objects.filter(withdrawn_at__isnull=False).exists()
    assert Disclosure.objects.filter(outcome=Outcome.DISCLOSED).count() >= 3
    refused = Disclosure.objects.get(outcome=Outcome.REFUSED)
    assert refused.recipient_category == "police" and refused.reason


def test_the_demo_shows_data_protection(demo_db):
    assert Client.objects.filter(restricted_at__isnull=False).count() == 1
    assert Restriction.objects.get(lifted_at__isnull=True).reason
    assert LegalHold.objects.active().count() == 1
    periods = dict(Programme.objects.values_list("sharing_policy", "retention_closed_months"))
    assert periods == {"independent-ngo": 60, "statutory": 120}
