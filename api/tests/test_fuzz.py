"""Bad input at scale: schemathesis generates requests for every operation of the API schema and sends them
to a real server (its own process and database, with the demo programme) with a real API token.

Over HTTP rather than in-process, so that every request commits or rolls back on its own as in production,
on SQLite and, with DATABASE_URL set, on PostgreSQL. Generation is derandomized: the same code sends the
same requests, so CI does not flake, and a failure here reproduces with the same command.
"""

from __future__ import annotations

from . import fuzz

OWNER = "cm.nord"  # a case manager with a caseload of every state, with plans, conferences and referrals
OUTSIDERS = (
    "lb.cm",  # another organisation
    "cm.sued",  # the same organisation, another team
    "pm",  # the programme manager: aggregates only, no case content
)
EXAMPLES_PER_OPERATION_AND_MODE = 15  # valid and invalid requests for each of the ~40 operations
MINIMUM_REQUESTS = 1000


def test_generated_requests_get_no_server_error_and_respect_need_to_know(demo_server):
    def token(username: str) -> str:
        return demo_server.manage("issue_token", "--username", username, "--name", "schemathesis").strip()

    outsiders = []
    for username in OUTSIDERS:
        raw = token(username)
        outsiders.append(fuzz.Outsider(username, raw, fuzz.visible_cases(demo_server.url, raw)))

    report = fuzz.run(demo_server.url, token(OWNER), outsiders, examples=EXAMPLES_PER_OPERATION_AND_MODE)

    print(
        f"schemathesis: {report.generated} generated requests over {len(report.by_operation)} operations, "
        f"{report.replays} need-to-know replays; statuses {dict(sorted(report.statuses.items()))}"
    )
    assert not report.failures, "\n\n".join(f"== {name}\n{text}" for name, text in report.failures.items())
    assert not report.server_errors
    assert report.generated >= MINIMUM_REQUESTS
    assert report.replays > 0  # the owner's reads succeeded, so need-to-know was put to the test
    assert report.statuses.get(200, 0) + report.statuses.get(201, 0) > 0
