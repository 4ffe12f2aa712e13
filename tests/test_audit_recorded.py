"""The recorded-commit path: render the template at .cruft.json's commit, offline, and agree
with cruft about it. The template is a snapshot (the working tree committed in a repository of
its own), so these tests see exactly one commit, whatever is uncommitted in the real one."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from cookiecutter_ai_service import exit_codes

from .auditing import audit, bake_from, copy_project, failed, git, results, snapshot_template
from .baking import BIN_DIR, SKIP_LOCK_ENV

pytestmark = pytest.mark.xdist_group("audit-recorded")
CRUFT = str(BIN_DIR / "cruft")


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return snapshot_template(tmp_path_factory.mktemp("snapshot") / "template")


@pytest.fixture(scope="module")
def baked(template: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = bake_from(template, tmp_path_factory.mktemp("baked"), ci_provider="gitlab")
    git(project, "init", "-q", "-b", "main")
    git(project, "add", "-A")
    git(project, "commit", "-q", "-m", "generated")
    return project


def cruft(project: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [CRUFT, *args],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        env={**os.environ, SKIP_LOCK_ENV: "1"},
    )


def changed_paths(diff: str) -> set[str]:
    """Paths in `cruft diff`: `diff --git upstream-template-old/PATH upstream-template-new/PATH`."""
    return {
        line.split()[2].split("/", 1)[1]
        for line in diff.splitlines()
        if line.startswith("diff --git ")
    }


def test_fresh_bake_is_clean_against_its_recorded_commit(
    baked: Path, template: Path, tmp_path: Path
) -> None:
    code, report = audit(baked, "--fail-on", "warning", output=tmp_path / "r.json")

    repo = report["reports"][0]
    head = git(template, "rev-parse", "HEAD")
    assert repo["template"]["recorded_commit"] == repo["template"]["rendered"] == head
    assert repo["template"]["latest_commit"] == head
    assert repo["git_head"] == git(baked, "rev-parse", "HEAD")
    assert failed(report) == set()
    assert code == 0


def test_cruft_check_and_diff_agree_with_the_recorded_provenance(
    baked: Path, tmp_path: Path
) -> None:
    record = json.loads((baked / ".cruft.json").read_text())
    _, report = audit(baked, output=tmp_path / "r.json")
    assert report["reports"][0]["template"]["recorded_commit"] == record["commit"]

    check = cruft(baked, "check")
    assert check.returncode == 0, check.stdout + check.stderr  # up to date, like VER003 says
    diff = cruft(baked, "diff")
    assert diff.returncode == 0, diff.stderr
    # The only difference cruft sees in a fresh bake is its own record's key order.
    assert changed_paths(diff.stdout) <= {".cruft.json"}


def test_cruft_diff_and_the_audit_name_the_same_modified_file(baked: Path, tmp_path: Path) -> None:
    project = copy_project(baked, tmp_path)
    settings = project / "src/ai_service/core/settings.py"
    settings.write_text(settings.read_text() + "\nEXTRA = 1\n")
    git(project, "commit", "-q", "-am", "local change")

    code, report = audit(project, output=tmp_path / "r.json")
    diff = cruft(project, "diff")

    drifted = {r["path"] for r in results(report)["DRF002"] if r["status"] == "fail"}
    assert drifted == {"src/ai_service/core/settings.py"}
    assert changed_paths(diff.stdout) - {".cruft.json"} == drifted
    assert code == exit_codes.OWNED_DRIFT


def test_a_newer_template_release_is_reported_and_against_head_shows_its_changes(
    baked: Path, template: Path, tmp_path: Path
) -> None:
    newer = tmp_path / "template"
    git(tmp_path, "clone", "-q", str(template), str(newer))
    context = json.loads((newer / "cookiecutter.json").read_text())
    context["_template_version"] = "9.9.0"
    (newer / "cookiecutter.json").write_text(json.dumps(context, indent=2) + "\n")
    dockerfile = newer / "{{cookiecutter.project_slug}}/Dockerfile"
    dockerfile.write_text(dockerfile.read_text() + "# a change in the next release\n")
    git(newer, "commit", "-q", "-am", "release 9.9.0")

    code, report = audit(
        baked, "--template", newer, "--fail-on", "warning", output=tmp_path / "recorded.json"
    )

    [behind] = results(report)["VER003"]
    assert behind["status"] == "fail" and behind["severity"] == "warning"
    assert "1 template commit behind" in behind["message"] and "9.9.0" in behind["message"]
    assert "DRF002" not in failed(report)  # the recorded commit still matches
    assert code == exit_codes.CONTROL_FAILURES

    code, report = audit(
        baked, "--template", newer, "--against", "HEAD", output=tmp_path / "head.json"
    )
    assert {r["path"] for r in results(report)["DRF002"]} == {"Dockerfile"}
    assert report["reports"][0]["template"]["rendered"] == git(newer, "rev-parse", "HEAD")
    assert code == exit_codes.OWNED_DRIFT


def test_recorded_commit_missing_from_the_template_is_unreachable(
    baked: Path, tmp_path: Path
) -> None:
    project = copy_project(baked, tmp_path)
    record = json.loads((project / ".cruft.json").read_text())
    record["commit"] = "0" * 40
    (project / ".cruft.json").write_text(json.dumps(record))

    code, report = audit(project, output=tmp_path / "r.json")

    assert code == exit_codes.TEMPLATE_UNREACHABLE
    assert "is not in the template" in report["reports"][0]["drift_note"]
