"""Schemathesis against a running Tandem: generated requests for every operation of /api/v1/schema/.

`run(base_url, owner_token, outsiders)` loads the schema with the owner's token, generates valid and invalid
requests for each operation (half of them on the owner's real objects, so that object routes get past the
404), sends them and runs every check schemathesis has on every response, among them:

- `not_a_server_error`: no 5xx, whatever the input;
- `status_code_conformance`, `content_type_conformance`, `response_headers_conformance`,
  `response_schema_conformance`: every answer is documented, with the documented body and headers;
- `negative_data_rejection`: a request that violates the schema is refused (4xx);
- `positive_data_acceptance`: a request that matches the schema is not refused as malformed (no 400);
- `ignored_auth`: an operation that answers the token also refuses the same request without it and with an
  invalid one (replayed for the first successful requests of each operation, as schemathesis's own runner
  confirms it once per operation);

and Tandem's own:

- `need_to_know`: every successful read of a case or of anything below it, replayed with the token of a
  staff member outside that case's need-to-know, is a 404 (Tandem's rule: outside need-to-know a case does not
  exist, so neither do its objects).

The remaining built-in checks engage only in phases this runner does not use, and pass here without effect:
`unsupported_method` and `missing_required_header` (coverage phase), `use_after_free` and
`ensure_resource_availability` (stateful sequences; the API has no DELETE), `object_level_authorization`
(several configured identities; `need_to_know` is the stricter form of it for Tandem).

It returns a `FuzzReport`; the test in test_fuzz.py asserts on it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import requests
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.specs.openapi.checks import ignored_auth

SCHEMA_PATH = "/api/v1/schema/"
ID_PARAMETERS = re.compile(r"\{(\w+)\}")


@dataclass
class Outsider:
    """A staff member and the cases they may see (every other case is outside their need-to-know)."""

    username: str
    token: str
    visible_cases: set[str]


@dataclass
class FuzzReport:
    generated: int = 0  # requests built by schemathesis from the schema, each sent once
    replays: int = 0  # requests the need-to-know check sent as an outsider
    statuses: dict[int, int] = field(default_factory=dict)
    by_operation: dict[str, int] = field(default_factory=dict)
    server_errors: list[str] = field(default_factory=list)
    failures: dict[str, str] = field(default_factory=dict)  # operation -> the falsifying example's report


class NeedToKnowViolation(AssertionError):
    pass


def _bearer(token: str) -> dict[str, str]:
    return {"Authorization": "Bearer " + token}


def _get_all(session: requests.Session, url: str) -> list[dict]:
    rows: list[dict] = []
    while url:
        response = session.get(url, timeout=30)
        response.raise_for_status()
        body = response.json()
        if isinstance(body, list):
            return body
        rows.extend(body["results"])
        url = body.get("next")
    return rows


def visible_cases(base_url: str, token: str) -> set[str]:
    session = requests.Session()
    session.headers.update(_bearer(token))
    return {row["id"] for row in _get_all(session, base_url + "/api/v1/cases/")}


def real_objects(base_url: str, token: str) -> dict[str, list[dict[str, str]]]:
    """The owner's objects, as the path parameters of every object route: {'case_id,need_id': [{...}, ...]}."""
    session = requests.Session()
    session.headers.update(_bearer(token))
    api = base_url + "/api/v1"
    combos: dict[str, list[dict[str, str]]] = {}

    def add(**values: str) -> None:
        combos.setdefault(",".join(sorted(values)), []).append(values)

    for case in _get_all(session, api + "/cases/"):
        case_id = case["id"]
        add(case_id=case_id)
        plan = session.get(f"{api}/cases/{case_id}/plan/", timeout=30).json()
        for need in plan["needs"]:
            add(case_id=case_id, need_id=need["id"])
            for goal in need["goals"]:
                add(case_id=case_id, goal_id=goal["id"])
                for service in goal["services"]:
                    add(case_id=case_id, service_id=service["id"])
        for conference in _get_all(session, f"{api}/cases/{case_id}/case-conferences/"):
            add(case_id=case_id, conference_id=conference["id"])
            for action in _get_all(session, f"{api}/cases/{case_id}/case-conferences/{conference['id']}/actions/"):
                add(case_id=case_id, action_id=action["id"])
        for referral in _get_all(session, f"{api}/cases/{case_id}/referrals/"):
            add(case_id=case_id, referral_id=referral["id"])
        for consent in _get_all(session, f"{api}/cases/{case_id}/consents/"):
            add(case_id=case_id, consent_id=consent["id"])
    for notification in _get_all(session, api + "/notifications/"):
        add(notification_id=str(notification["id"]))
    return combos


def _need_to_know_check(base_url: str, outsiders: list[Outsider], report: FuzzReport):
    replayed: set[tuple[str, str]] = set()

    def need_to_know(ctx, response, case):
        """A case's objects read by one staff member are a 404 for staff outside that case's need-to-know."""
        case_id = (case.path_parameters or {}).get("case_id")
        if case.method.upper() != "GET" or not 200 <= response.status_code < 300 or case_id is None:
            return None
        path = case.formatted_path
        for outsider in outsiders:
            # Once per object and outsider: the answer depends on the case, not on the query.
            if str(case_id) in outsider.visible_cases or (path, outsider.username) in replayed:
                continue
            replayed.add((path, outsider.username))
            replay = requests.get(
                base_url + path,
                params=case.query or None,
                headers=_bearer(outsider.token),
                timeout=30,
                allow_redirects=False,
            )
            report.replays += 1
            if replay.status_code != 404:
                raise NeedToKnowViolation(
                    f"{outsider.username} (outside the case's need-to-know) got {replay.status_code}, not 404, "
                    f"for GET {path} that the owner read with {response.status_code}"
                )
        return True

    return need_to_know


def _ignored_auth_sampled(per_operation: int = 3):
    """`ignored_auth` on the first few successful responses of each operation: each costs two more requests
    (without a token, with an invalid one), and enforcement is a property of the operation."""
    checked: dict[str, int] = {}

    def ignored_auth_sampled(ctx, response, case):
        if not 200 <= response.status_code < 300 or checked.get(case.operation.label, 0) >= per_operation:
            return None
        checked[case.operation.label] = checked.get(case.operation.label, 0) + 1
        return ignored_auth(ctx, response, case)

    return ignored_auth_sampled


def run(base_url: str, owner_token: str, outsiders: list[Outsider], *, examples: int) -> FuzzReport:
    schema = schemathesis.openapi.from_url(
        base_url + SCHEMA_PATH + "?format=json", headers=_bearer(owner_token), timeout=60
    )
    combos = real_objects(base_url, owner_token)
    report = FuzzReport()
    # Every built-in check, with `ignored_auth` sampled (see _ignored_auth_sampled), plus Tandem's need-to-know.
    added = [_ignored_auth_sampled(), _need_to_know_check(base_url, outsiders, report)]
    headers = _bearer(owner_token)
    session = requests.Session()

    for result in schema.get_all_operations():
        operation = result.ok()
        label = operation.label
        names = ID_PARAMETERS.findall(operation.path)
        real = combos.get(",".join(sorted(names)), []) if names else []
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            generated = operation.as_strategy(generation_mode=mode)
            if real:
                # Two thirds of the requests on the owner's real objects, the rest on whatever the schema allows.
                on_real = st.sampled_from(real).flatmap(
                    lambda values, mode=mode, operation=operation: operation.as_strategy(
                        generation_mode=mode, path_parameters=values
                    )
                )
                strategy = st.one_of(on_real, on_real, generated)
            else:
                strategy = generated

            @settings(
                max_examples=examples,
                derandomize=True,
                database=None,
                deadline=None,
                phases=[Phase.explicit, Phase.generate],
                suppress_health_check=list(HealthCheck),
                report_multiple_bugs=False,
            )
            @given(case=strategy)
            def probe(case):
                response = case.call(base_url=base_url, session=session, headers=headers, allow_redirects=False)
                report.generated += 1
                # probe runs right below, within this iteration, so `label` is the current operation's.
                report.by_operation[label] = report.by_operation.get(label, 0) + 1  # noqa: B023
                report.statuses[response.status_code] = report.statuses.get(response.status_code, 0) + 1
                if response.status_code >= 500:
                    report.server_errors.append(f"{case.method} {case.formatted_path} -> {response.status_code}")
                case.validate_response(
                    response,
                    additional_checks=added,
                    excluded_checks=[ignored_auth],
                    headers=headers,
                    transport_kwargs={"base_url": base_url, "headers": headers},
                )

            try:
                probe()
            except (Exception, BaseExceptionGroup) as exc:  # noqa: BLE001 - every operation runs; all failures reported
                report.failures[f"{label} ({mode.value})"] = str(exc)[:4000]
    return report
