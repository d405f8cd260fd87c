"""Acceptance tests: instruments as data, assessment in the case, needs to plan, comparison and chart."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessments import instruments, selectors, services
from assessments.instruments import InstrumentError, parse
from assessments.models import AssessmentSettings, PlanReview
from assessments.tests.factories import answers, record
from cases.due import due_items

HERE = Path(instruments.__file__).resolve().parent
DEFAULT = (HERE / "tandem-open.yaml").read_text()


# --- Instruments ---------------------------------------------------------------------------------------


def test_default_and_sample_instruments_load_and_validate():
    loaded = instruments.load_all(refresh=True)
    open_ = loaded["tandem-open"]
    areas = {item.area for item in open_.items}
    assert areas == {"mental_health", "ideological", "functional", "social", "security"}
    roles = {role for item in open_.items for role in item.roles}
    assert roles == {"risk", "need", "protective"}
    keys = {d.key for d in open_.domains}
    assert {
        "ideology",
        "networks",
        "identity",
        "intent",
        "motivation",
        "offending",
        "family",
        "education_work",
        "housing",
        "mental_health",
        "leisure",
        "safety",
        "legal",
        "protective",
        "social",
    } == keys
    assert all(item.text_["en"] and item.text_["de"] for item in open_.items)
    sample = loaded["spj-sample-34"]
    assert len(sample.domains) == 5 and len(sample.items) == 34 and sample.sample and sample.domain_ratings


def _problems(text: str) -> list[str]:
    with pytest.raises(InstrumentError) as info:
        parse(text, "broken.yaml")
    return info.value.problems


@pytest.mark.parametrize(
    "old,new,expected",
    [
        (
            "scale: concern\n        weight: 2",
            "scale: concrn\n        weight: 2",
            ["broken.yaml, domains[3].items[0].scale (line", "scale 'concrn' is not defined"],
        ),
        (
            "{item: violence_planning, at_least: 1}",
            "{item: violent_plans, at_least: 1}",
            ["broken.yaml, scoring.rules[0].any[0].item (line", "item 'violent_plans' is not defined"],
        ),
        ("  - level: high\n", "  - level: extreme\n", ["scoring.rules[0].level", "level 'extreme' is not defined"]),
        (
            "      - key: violence_legitimised",
            "      - key: ideological_commitment",
            ["domains[0].items[1].key", "item key 'ideological_commitment' is used twice"],
        ),
        (
            "    - {key: high, min_score: 18, case_level: high}",
            "    - {key: high, min_score: 18, case_level: severe}",
            ["scoring.levels[2].case_level (line 29)", "'severe' is not one of"],
        ),
        ('version: "1.0"\n', "", ["(top level)", "'version' is missing (required)"]),
        (
            'roles: [risk]\n        scale: concern\n        text: {en: "Justifies',
            'rolez: [risk]\n        scale: concern\n        text: {en: "Justifies',
            ["domains[0].items[1]", "unknown key"],
        ),
        (
            '{value: 2, label: {en: "Clearly present"',
            '{value: 1, label: {en: "Clearly present"',
            ["scales[0].options", "repeats an option value"],
        ),
        ("min_score: 9,", "min_score: 30,", ["scoring.levels", "strictly increasing"]),
    ],
)
def test_malformed_instrument_is_rejected_naming_problem_and_place(old, new, expected):
    assert old in DEFAULT
    problems = _problems(DEFAULT.replace(old, new, 1))
    text = "\n".join(problems)
    for part in expected:
        assert part in text, text


def test_invalid_yaml_names_the_line():
    problems = _problems("key: x\nname: {en: [unclosed\n")
    assert problems[0].startswith("broken.yaml (line") and "not valid YAML" in problems[0]


def test_a_programme_adds_an_instrument_without_code(tmp_path, settings):
    (tmp_path / "custom.yaml").write_text(DEFAULT.replace("key: tandem-open", "key: custom-open", 1))
    settings.TANDEM_INSTRUMENT_DIRS = [str(tmp_path)]
    try:
        assert "custom-open" in instruments.load_all(refresh=True)
        (tmp_path / "bad.yaml").write_text(
            DEFAULT.replace("key: tandem-open", "key: bad", 1).replace("scale: strength", "scale: nope", 1)
        )
        with pytest.raises(InstrumentError, match=r"bad.yaml, domains\[14\].items\[0\].scale"):
            instruments.load_all(refresh=True)
    finally:
        settings.TANDEM_INSTRUMENT_DIRS = []
        instruments.load_all(refresh=True)


# --- Assessment in the case ----------------------------------------------------------------------------


def test_computed_score_is_advisory_and_the_recorded_judgement_wins(world):
    case = world.case
    a = record(world.case_manager, case, value=2, final_level="moderate", rationale="Strong family support.")
    assert a.computed_level == "high" and a.final_level == "moderate" and a.overrides_computed
    case.refresh_from_db()
    assert case.risk_level == "moderate"
    assert a.judged_by == world.case_manager and a.kind == "intake"
    services.judgement_revise(actor=world.supervisor, assessment=a, final_level="low", rationale="Reviewed.")
    case.refresh_from_db()
    a.refresh_from_db()
    assert case.risk_level == "low" and a.computed_level == "high" and a.judged_by == world.supervisor


def test_rule_raises_the_computed_level_and_missing_rationale_is_refused(world):
    a = record(world.case_manager, world.case, value=0, final_level="high", violence_planning=1)
    assert a.score == 2 and a.computed_level == "high"
    with pytest.raises(ValidationError) as info:
        record(world.case_manager, world.case, rationale="  ")
    assert "rationale" in info.value.message_dict
    incomplete = answers()
    incomplete.pop("debts")
    with pytest.raises(ValidationError) as info:
        services.assessment_record(
            actor=world.case_manager,
            case=world.case,
            instrument_key="tandem-open",
            assessed_on=dt.date.today(),
            sources=["interview"],
            answers=incomplete,
            final_level="low",
            rationale="x",
        )
    assert "item__debts" in info.value.message_dict


def test_reassessment_due_dates_follow_the_programme_and_level(world, settings):
    case = world.case
    AssessmentSettings.objects.create(programme=case.programme, reassess_high_months=3, reassess_moderate_months=6)
    type(case).objects.filter(pk=case.pk).update(opened_on=dt.date(2025, 1, 6))
    case = type(case).objects.select_related("programme", "client").get(pk=case.pk)
    high = record(world.case_manager, case, on=dt.date(2025, 8, 31), final_level="high")
    assert high.next_due_on == dt.date(2025, 11, 30)
    moderate = record(world.case_manager, case, on=dt.date(2025, 9, 15), final_level="moderate")
    assert moderate.kind == "reassessment" and moderate.next_due_on == dt.date(2026, 3, 15)
    qs = type(case).objects.filter(pk=case.pk)
    assert selectors.reassessments_due(qs, dt.date(2026, 2, 20)) == []
    soon = selectors.reassessments_due(qs, dt.date(2026, 3, 5))
    assert [(i.kind, i.due_on, i.overdue) for i in soon] == [("reassessment", dt.date(2026, 3, 15), False)]
    late = [i for i in due_items(qs, dt.date(2026, 4, 1)) if i.kind == "reassessment"]
    assert late[0].overdue and "overdue" in late[0].label and late[0].url.endswith("#assessments")


def test_intensity_follows_the_assessed_level(world):
    case = world.case
    AssessmentSettings.objects.create(programme=case.programme, intensity_high="twice_weekly", intensity_low="monthly")
    record(world.case_manager, case, final_level="high")
    case = type(case).objects.select_related("programme").get(pk=case.pk)
    assert selectors.recommended_intensity(case) == "Twice a week"
    assert selectors.recommended_intensity(case, "low") == "Monthly"
    assert selectors.recommended_intensity(case, "moderate") == "Every two weeks"  # the default


def test_intake_checklist_excluded_case_cannot_be_accepted(world):
    with pytest.raises(ValidationError) as info:
        services.intake_screening_record(
            actor=world.case_manager,
            case=world.case,
            screened_on=dt.date.today(),
            target_group_fit="yes",
            position="follower",
            outcome="accept",
            exclusions=["active_violent_planning"],
        )
    assert "outcome" in info.value.message_dict
    screening = services.intake_screening_record(
        actor=world.case_manager,
        case=world.case,
        screened_on=dt.date.today(),
        target_group_fit="yes",
        position="follower",
        outcome="review",
        exclusions=["active_violent_planning"],
    )
    advice = selectors.exclusion_advice(world.case.programme, screening.exclusions)
    assert advice[0]["action"] == "Inform the police (imminent danger)"


# --- Needs to plan -------------------------------------------------------------------------------------


def test_plan_goals_are_created_from_needs_in_one_step(world, client):
    a = record(world.case_manager, world.case, value=0, housing=2, trauma=1, debts=2)
    client.force_login(world.case_manager)
    url = reverse("assessments:goals", args=[world.case.pk, a.pk])
    response = client.post(
        url, {"need": ["housing", "trauma"], "goal__housing": "Find a flat near work", "goal__trauma": ""}
    )
    assert response.status_code == 302 and response["Location"].endswith("#plan")
    needs = {n.domain: n for n in world.case.needs.prefetch_related("goals")}
    assert set(needs) == {"functional", "mental_health"}
    assert needs["functional"].goals.get().description == "Find a flat near work"
    assert needs["mental_health"].goals.get().description == "Find a trauma-informed therapist"
    refused = client.post(url, {"need": ["violent_history"]})
    assert refused.status_code == 400 and world.case.needs.count() == 2


def test_plan_review_is_linked_to_its_assessment(world):
    a = record(world.case_manager, world.case)
    review = services.plan_review_record(
        actor=world.case_manager,
        case=world.case,
        assessment=a,
        reviewed_on=a.assessed_on,
        notes="Kept the housing goal.",
    )
    assert PlanReview.objects.get().assessment == a and review.notes == "Kept the housing goal."
    with pytest.raises(ValidationError):
        services.plan_review_record(
            actor=world.case_manager, case=world.other_case, assessment=a, reviewed_on=a.assessed_on
        )


# --- Pages: form, comparison and chart -----------------------------------------------------------------


def test_form_is_rendered_from_the_definition_and_saves(world, client):
    client.force_login(world.case_manager)
    url = reverse("assessments:new", args=[world.case.pk])
    page = client.get(url + "?instrument=spj-sample-34")
    body = page.content.decode()
    assert page.status_code == 200 and body.count('name="item__') == 34 * 4 and "Protective and resilience" in body
    data = {
        "instrument": "spj-sample-34",
        "assessed_on": dt.date.today().isoformat(),
        "sources": ["interview"],
        "final_level": "low",
        "rationale": "Clear distancing.",
    }
    data |= {f"item__{key}": "0" for key in answers("spj-sample-34")}
    bad = client.post(url, {**data, "item__beliefs_1": ""})
    assert bad.status_code == 400 and "Answer this item" in bad.content.decode()
    saved = client.post(url, data)
    assert saved.status_code == 302
    world.case.refresh_from_db()
    assert world.case.risk_level == "low"


def _history(world, count: int):
    world.case.opened_on = dt.date.today() - dt.timedelta(days=1000)
    type(world.case).objects.filter(pk=world.case.pk).update(opened_on=world.case.opened_on)
    for n in range(count):
        record(
            world.case_manager,
            world.case,
            on=dt.date.today() - dt.timedelta(days=90 * (count - n)),
            value=2 if n == 0 else 1,
            final_level="high" if n == 0 else "moderate",
        )


def test_comparison_and_chart_render_with_flat_query_counts(world, client):
    client.force_login(world.case_manager)
    counts = {}
    for total in (2, 5):
        world.case.assessments.all().delete()
        _history(world, total)
        history = selectors.case_assessments(world.case)
        for name, url in (
            ("index", reverse("assessments:index", args=[world.case.pk])),
            (
                "compare",
                reverse("assessments:compare", args=[world.case.pk]) + f"?a={history[-1].pk}&b={history[0].pk}",
            ),
            ("case", reverse("case_detail", args=[world.case.pk])),
        ):
            with CaptureQueriesContext(connection) as ctx:
                response = client.get(url)
            assert response.status_code == 200
            counts.setdefault(name, []).append(len(ctx.captured_queries))
            body = response.content.decode()
            assert "style=" not in body and "<script>" not in body
            if name == "index":
                assert body.count('<svg class="chart"') == 15 and "<polyline" in body and "<table" in body
            if name == "compare":
                assert "change--better" in body and "better" in body
    assert all(a == b for a, b in counts.values()), counts


def test_api_lists_and_records_assessments_and_instruments(world):
    from api.tests.conftest import client_for

    api = client_for(world.case_manager)
    defs = api.get("/api/v1/instruments/").json()
    assert {d["key"] for d in defs} >= {"tandem-open", "spj-sample-34"}
    body = {
        "instrument": "tandem-open",
        "assessed_on": dt.date.today().isoformat(),
        "sources": ["interview"],
        "answers": answers(),
        "final_level": "high",
        "rationale": "Recent threats.",
    }
    created = api.post(f"/api/v1/cases/{world.case.pk}/assessments/", body, format="json")
    assert created.status_code == 201, created.json()
    assert created.json()["final_level"] == "high"
    listed = api.get(f"/api/v1/cases/{world.case.pk}/assessments/").json()
    assert len(listed) == 1 and listed[0]["rationale"] == "Recent threats."
    outsider = client_for(world.other_practitioner)
    assert outsider.get(f"/api/v1/cases/{world.case.pk}/assessments/").status_code == 404
    assert outsider.post(f"/api/v1/cases/{world.case.pk}/assessments/", body, format="json").status_code == 404


def test_outsiders_get_404_on_every_assessment_page(world, client):
    a = record(world.case_manager, world.case)
    urls = [
        reverse("assessments:index", args=[world.case.pk]),
        reverse("assessments:detail", args=[world.case.pk, a.pk]),
        reverse("assessments:compare", args=[world.case.pk]),
        reverse("assessments:new", args=[world.case.pk]),
    ]
    for persona in ("other_practitioner", "specialist", "programme_manager", "foreign_practitioner"):
        client.force_login(getattr(world, persona))
        for url in urls:
            assert client.get(url).status_code == 404, (persona, url)
    client.force_login(world.other_practitioner)
    other = record(world.other_practitioner, world.other_case)
    client.force_login(world.case_manager)
    assert client.get(reverse("assessments:detail", args=[world.case.pk, other.pk])).status_code == 404
