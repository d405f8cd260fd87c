"""The benchmark runner runs end to end on a tiny data set and writes its JSON results."""

from __future__ import annotations

import json

import pytest

from bench import run as cli
from bench import runner, targets
from bench.tests.test_query_counts import add_contacts


@pytest.mark.urls("bench.urls")
def test_runner_times_every_request_and_writes_json(world, tmp_path):
    add_contacts(world.case, 30, world.case_manager)  # the longest timeline: the benchmark picks this case
    found = targets.load(None)
    assert found.long_case_id == str(world.case.pk)
    assert (found.case_manager, found.supervisor) == ("case_manager", "supervisor")
    assert found.exact_name == "Mira Okonkwo-Lindqvist"
    result = runner.run(found, iterations=2, warmup=1, log=lambda message: None)
    names = [row["name"] for row in result["requests"]]
    assert names == [
        "floor",
        "caseload",
        "case_list",
        "case_detail",
        "contact_add",
        "name_lookup",
        "api_name_lookup",
        "api_case_detail",
        "erase",
    ]
    for row in result["requests"]:
        assert row["p50_ms"] > 0 and row["p95_ms"] >= row["p50_ms"] and row["queries"] > 0
    assert next(r for r in result["requests"] if r["name"] == "floor")["ratio_p95"] == 1.0
    path = tmp_path / "results.json"
    runner.write(result, path)
    assert json.loads(path.read_text())["requests"][0]["name"] == "floor"
    assert "case page, long timeline" in runner.table(result)


def test_percentile_is_nearest_rank():
    values = [float(v) for v in range(1, 101)]
    assert runner.percentile(values, 50) == 50.0
    assert runner.percentile(values, 95) == 95.0
    assert runner.percentile([3.0], 95) == 3.0


def test_command_line_defaults_and_bad_values(monkeypatch):
    monkeypatch.delenv("SIZE", raising=False)
    monkeypatch.delenv("DB", raising=False)
    args = cli.parse([])
    assert (args.size, args.db, args.iterations, args.warmup) == ("small", "sqlite", 30, 5)
    monkeypatch.setenv("SIZE", "large")
    assert cli.parse(["--db", "postgres"]).size == "large"
    with pytest.raises(SystemExit):
        cli.parse(["--iterations", "0"])
    with pytest.raises(SystemExit):
        cli.parse(["--db", "oracle"])
