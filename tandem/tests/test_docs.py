"""The documents tell the truth about the repository: every folder is in the README's layout, no machine's paths."""

from __future__ import annotations

import re
import shutil
import subprocess  # nosec B404 # runs git on the project's own tree
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
# Home directories and one workplace's checkout; a deployment's conventional paths (/etc/tandem, /srv/tandem) are fine.
MACHINE_PATH = re.compile(r"(?<![\w.])(/work/|/root/|/home/\w|/Users/\w|[A-Z]:\\Users\\)")


def _tracked_files() -> list[str]:
    git = shutil.which("git")
    if git is None or not (ROOT / ".git").exists():
        pytest.skip("needs a git checkout")
    result = subprocess.run(  # nosec B603 # fixed arguments
        [git, "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True, timeout=60
    )
    return result.stdout.splitlines()


def test_project_layout_lists_every_top_level_folder():
    folders = {path.split("/")[0] for path in _tracked_files() if "/" in path}
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    layout = readme.split("## Project layout", 1)[1].split("\n## ", 1)[0]
    listed = set(re.findall(r"^\| `([^`/]+)/`", layout, flags=re.MULTILINE))
    assert folders - listed == set(), "add these folders to the README's Project layout"
    assert listed - folders == set(), "these folders in the README's Project layout do not exist"


def test_no_document_names_a_path_of_one_machine():
    documents = [p for p in _tracked_files() if p.endswith(".md") or p.startswith("docs/")]
    assert "README.md" in documents
    found = [
        f"{name}:{number}: {line.strip()}"
        for name in documents
        for number, line in enumerate((ROOT / name).read_text(encoding="utf-8").splitlines(), 1)
        if MACHINE_PATH.search(line)
    ]
    assert not found, "use project-relative paths or placeholders:\n" + "\n".join(found)


def test_the_makefile_declares_only_targets_it_has():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    phony = set(re.search(r"^\.PHONY:(.*)$", makefile, re.MULTILINE).group(1).split())
    rules = set(re.findall(r"^([\w-]+):", makefile, re.MULTILINE))
    assert phony - rules == set(), "declared .PHONY but no rule"
    assert {"run", "test", "lint"} <= phony
