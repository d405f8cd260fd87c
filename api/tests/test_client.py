"""A client generated from the schema by a tool no one here wrote (openapi-python-client) covers every operation,
and works against a real server: a read and a write (a consent, which such clients once had to do without)."""

from __future__ import annotations

import datetime as dt
import importlib
import json
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest

from .fuzz import SCHEMA_PATH

GENERATOR = Path(sys.executable).with_name("openapi-python-client")
# No post-processing hooks: the generated code is imported, not kept, so it need not be formatted.
CONFIG = "post_hooks: []\nproject_name_override: tandem-client\npackage_name_override: tandem_client\n"


@pytest.fixture(scope="module")
def token(demo_server) -> str:
    return demo_server.manage("issue_token", "--username", "cm.nord", "--name", "generated client").strip()


@pytest.fixture(scope="module")
def schema(demo_server, token) -> dict:
    request = urllib.request.Request(
        demo_server.url + SCHEMA_PATH + "?format=json", headers={"Authorization": "Bearer " + token}
    )
    with urllib.request.urlopen(request, timeout=60) as response:  # nosec B310 # the test's own server
        return json.load(response)


@pytest.fixture(scope="module")
def generated(schema, tmp_path_factory):
    """The client package, generated into a temporary directory and imported from there."""
    work = tmp_path_factory.mktemp("client")
    (work / "schema.json").write_text(json.dumps(schema))
    (work / "config.yaml").write_text(CONFIG)
    result = subprocess.run(  # nosec B603 # a fixed command on the test's own files
        [str(GENERATOR), "generate", "--path", "schema.json", "--config", "config.yaml", "--meta", "none"]
        + ["--output-path", "tandem_client"],
        cwd=work,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    # The generator warns about every part of the schema it cannot turn into code, and then leaves it out.
    assert "warning" not in (result.stdout + result.stderr).lower(), result.stdout + result.stderr
    sys.path.insert(0, str(work))
    try:
        yield importlib.import_module("tandem_client")
    finally:
        sys.path.remove(str(work))
        for name in [name for name in sys.modules if name.split(".")[0] == "tandem_client"]:
            del sys.modules[name]


def test_generated_client_has_a_function_for_every_operation(schema, generated):
    operation_ids = {
        operation["operationId"] for operations in schema["paths"].values() for operation in operations.values()
    }
    api_dir = Path(generated.__file__).parent / "api"
    modules = {path.stem for path in api_dir.glob("*/*.py") if path.stem != "__init__"}

    assert len(operation_ids) >= 40
    assert operation_ids <= modules, f"no generated function for {sorted(operation_ids - modules)}"
    for path in api_dir.glob("*/*.py"):
        if path.stem in operation_ids:
            module = importlib.import_module(f"tandem_client.api.{path.parent.name}.{path.stem}")
            assert callable(module.sync) and callable(module.sync_detailed)


def test_generated_client_reads_and_records_a_consent(demo_server, token, generated):
    from tandem_client.api.cases import cases_consents_create, cases_consents_list, cases_list
    from tandem_client.models import (
        ConsentFormEnum,
        ConsentInRequest,
        ConsentOut,
        DataCategoryEnum,
        RecipientCategoryEnum,
        SharingPurposeEnum,
    )

    client = generated.AuthenticatedClient(base_url=demo_server.url, token=token, raise_on_unexpected_status=True)

    cases = cases_list.sync(client=client)
    assert cases.count > 0
    case = next(case for case in cases.results if case.state.value not in {"closed", "signal"})
    before = cases_consents_list.sync(case_id=case.id, client=client).count

    consent = cases_consents_create.sync(
        case_id=case.id,
        client=client,
        body=ConsentInRequest(
            recipient_category=RecipientCategoryEnum.HEALTH,
            data_categories=[DataCategoryEnum.NEEDS_AND_PLAN],
            purpose=SharingPurposeEnum.HEALTH_CARE,
            form=ConsentFormEnum.WRITTEN,
            given_on=dt.date.today() - dt.timedelta(days=2),  # on any clock, not in the future
        ),
    )

    assert isinstance(consent, ConsentOut), consent
    assert consent.valid_today and consent.recipient_category == RecipientCategoryEnum.HEALTH
    assert cases_consents_list.sync(case_id=case.id, client=client).count == before + 1
