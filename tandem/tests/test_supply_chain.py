"""Static security analysis (bandit) finds nothing open, and the build's bill of materials lists every pin."""

from __future__ import annotations

import json
import re
import subprocess  # nosec B404 # runs the project's own tools
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;#]+)")


def pinned(requirements: Path) -> dict[str, str]:
    pins = {}
    for line in requirements.read_text().splitlines():
        if match := PIN.match(line.strip()):
            pins[re.sub(r"[-_.]+", "-", match[1]).lower()] = match[2]
    return pins


def test_bandit_reports_no_open_finding(tmp_path):
    report = tmp_path / "bandit.json"
    result = subprocess.run(
        [sys.executable, "-m", "bandit", "-c", "pyproject.toml", "-r", ".", "-q", "-f", "json", "-o", str(report)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert report.exists(), result.stderr[-3000:]
    data = json.loads(report.read_text())
    findings = [f"{r['filename']}:{r['line_number']} {r['test_id']} {r['issue_text']}" for r in data["results"]]
    assert not findings, "bandit findings (fix them, or mark a false positive `# nosec BXXX # why`):\n" + "\n".join(
        findings
    )
    assert not data["errors"]
    assert data["metrics"]["_totals"]["loc"] > 10000  # it scanned the product, not an empty tree
    assert result.returncode == 0


# The SBOM tool's own virtualenv (the Makefile's sbom target): cyclonedx is never imported by the test process.
SBOM_PYTHON = ROOT / ".venv-sbom" / "bin" / "python"
VALIDATE = """
import sys
from cyclonedx.schema import SchemaVersion
from cyclonedx.validation.json import JsonStrictValidator
error = JsonStrictValidator(SchemaVersion.V1_6).validate_str(open(sys.argv[1]).read())
sys.exit(str(error) if error else 0)
"""


def test_sbom_is_valid_cyclonedx_with_every_pinned_requirement(tmp_path):
    sbom = tmp_path / "tandem.cdx.json"
    # The same target that `make test` runs, written elsewhere.
    subprocess.run(["make", "-s", "sbom", f"SBOM={sbom}"], cwd=ROOT, check=True, timeout=600)  # nosec B603 B607
    result = subprocess.run([SBOM_PYTHON, "-c", VALIDATE, sbom], capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    bom = json.loads(sbom.read_text())
    # The validator does reject a document that breaks the schema.
    broken = tmp_path / "broken.cdx.json"
    broken.write_text(json.dumps(dict(bom, components=[dict(bom["components"][0], purl=42)])))
    result = subprocess.run([SBOM_PYTHON, "-c", VALIDATE, broken], capture_output=True, text=True, timeout=300)
    assert result.returncode != 0 and "purl" in result.stderr, result.stderr[-3000:]
    assert bom["bomFormat"] == "CycloneDX" and bom["specVersion"] == "1.6"
    components = {re.sub(r"[-_.]+", "-", c["name"]).lower(): c for c in bom["components"]}
    pins = pinned(ROOT / "requirements.txt")
    assert pins and set(components) == set(pins)
    for name, version in pins.items():
        assert components[name]["version"] == version
        assert components[name]["purl"] == f"pkg:pypi/{name}@{version}"
