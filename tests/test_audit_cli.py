"""The command line: formats, selection, usage errors, several repositories, a non-template repo."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from cookiecutter_ai_service import exit_codes
from cookiecutter_ai_service.cli import main

from .auditing import audit, failed, results
from .baking import BIN_DIR, bake

pytestmark = pytest.mark.xdist_group("audit-cli")


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return bake(tmp_path_factory.mktemp("cli"), docker="no")


@pytest.fixture(scope="module")
def legacy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small service that was never generated from the template."""
    root = tmp_path_factory.mktemp("legacy") / "legacy"
    (root / "app").mkdir(parents=True)
    (root / "pyproject.toml").write_text('[project]\nname = "legacy"\nversion = "1.0"\n')
    (root / "app/__init__.py").write_text("")
    (root / "app/main.py").write_text(
        "from flask import Flask\n\napp = Flask(__name__)\n\n\n"
        '@app.route("/")\ndef index():\n    print("hit")\n    return "ok"\n'
    )
    (root / ".gitignore").write_text("__pycache__/\n")
    return root


def test_repository_not_made_from_the_template_gets_a_controls_report(
    legacy: Path, tmp_path: Path
) -> None:
    code, report = audit(legacy, output=tmp_path / "report.json")

    repo = report["reports"][0]
    assert repo["drift"] is None and repo["template"] is None
    assert "not generated from the template" in results(report)["VER001"][0]["message"]
    assert not any(r["kind"] == "drift" for r in repo["results"])
    assert repo["errors"] == []
    missing = failed(report)
    # Every check applies when the answers are unknown, and each says what is missing.
    assert {
        "HLT001",
        "HLT002",
        "LOG001",
        "LOG002",
        "SEC003",
        "CI001",
        "PRE001",
        "DKR001",
    } <= missing
    assert results(report)["LOG002"][0]["path"] == "app/main.py"
    # A Flask app with no database and no model: those controls say why they do not apply.
    for check in ("DB001", "MDL001", "EVL001"):
        [result] = results(report)[check]
        assert result["status"] == "skip" and "not applicable" in result["message"], result
    assert repo["repository_root"] == str(legacy) and repo["service_root"] == "."
    assert code == exit_codes.CONTROL_FAILURES

    out = tmp_path / "legacy.txt"
    main(["audit", "--output", str(out), str(legacy)])
    text = out.read_text()
    assert "drift      not compared: no version record" in text
    assert "No liveness route" in text


def test_several_repositories_get_a_report_each_and_a_summary(
    project: Path, legacy: Path, tmp_path: Path
) -> None:
    code, report = audit(project, legacy, "--against", "worktree", output=tmp_path / "r.json")

    assert [r["path"] for r in report["reports"]] == [str(project), str(legacy)]
    assert [r["exit_code"] for r in report["reports"]] == [0, 1]
    assert code == report["exit_code"] == 1
    for fmt, marker in (("text", "== summary"), ("markdown", "| repository | exit |")):
        out = tmp_path / f"all.{fmt}"
        assert (
            main(
                [
                    "audit",
                    "--against",
                    "worktree",
                    "--format",
                    fmt,
                    "--output",
                    str(out),
                    str(project),
                    str(legacy),
                ]
            )
            == 1
        )
        assert marker in out.read_text()


def test_json_report_schema(project: Path, tmp_path: Path) -> None:
    code, report = audit(project, "--against", "worktree", output=tmp_path / "r.json")

    assert code == 0
    assert report["schema"] == "cookiecutter-ai-service/audit-report"
    assert report["schema_version"] == 1
    assert report["tool"]["name"] == "cookiecutter-ai-service"
    repo = report["reports"][0]
    assert set(repo) >= {"path", "git_head", "template", "drift", "results", "exit_code"}
    record = json.loads((project / ".cruft.json").read_text())
    assert repo["template"]["url"] == record["template"]
    assert repo["template"]["recorded_commit"] == record["commit"]
    for result in repo["results"]:
        assert set(result) >= {
            "id",
            "kind",
            "family",
            "severity",
            "status",
            "message",
            "path",
            "docs_url",
            "remediation",
            "waiver",
        }
        assert result["status"] in {"pass", "fail", "skip", "waived", "error"}
        assert result["docs_url"].endswith("#" + result["id"].lower())
    # docker = no: the docker checks are not applicable
    assert {r["id"]: r["status"] for r in repo["results"]}["DKR002"] == "skip"


def test_sarif_has_failures_only_each_with_a_location(legacy: Path, tmp_path: Path) -> None:
    out = tmp_path / "report.sarif"
    assert main(["audit", "--format", "sarif", "--output", str(out), str(legacy)]) == 1

    sarif = json.loads(out.read_text())
    assert sarif["version"] == "2.1.0"
    [run] = sarif["runs"]
    rule_ids = {rule["id"] for rule in run["tool"]["driver"]["rules"]}
    assert run["results"]
    for result in run["results"]:
        assert result["ruleId"] in rule_ids
        assert result["level"] in {"error", "warning", "note"}
        location = result["locations"][0]["physicalLocation"]["artifactLocation"]
        assert location["uri"] and not location["uri"].startswith("/")
    assert "HLT001" in {r["ruleId"] for r in run["results"]}
    assert not {r["ruleId"] for r in run["results"]} & {"SEC001", "SEC002"}  # passes: left out


def test_select_and_ignore_by_id_prefix_family_and_kind(legacy: Path, tmp_path: Path) -> None:
    _, report = audit(legacy, "--select", "health", output=tmp_path / "a.json")
    assert {r["family"] for r in report["reports"][0]["results"]} == {"health"}

    _, report = audit(
        legacy, "--select", "HLT,LOG001", "--ignore", "HLT004", output=tmp_path / "b.json"
    )
    assert {r["id"] for r in report["reports"][0]["results"]} == {
        "HLT001",
        "HLT002",
        "HLT003",
        "LOG001",
    }

    code, report = audit(legacy, "--ignore", "control", output=tmp_path / "c.json")
    assert {r["kind"] for r in report["reports"][0]["results"]} == {"provenance"}
    assert code == exit_codes.CLEAN  # VER001 is a warning; the default --fail-on is error


def test_fail_on_thresholds(legacy: Path, tmp_path: Path) -> None:
    args = ["--select", "VER001,CI006"]
    assert audit(legacy, *args, "--fail-on", "warning", output=tmp_path / "w.json")[0] == 1
    assert audit(legacy, *args, "--fail-on", "error", output=tmp_path / "e.json")[0] == 0
    assert audit(legacy, "--fail-on", "never", output=tmp_path / "n.json")[0] == 0


@pytest.mark.parametrize(
    "argv",
    [
        ["audit"],
        ["audit", "--format", "xml", "."],
        ["audit", "--select", "NOPE", "."],
        ["audit", "/nonexistent/repository"],
        ["inspect", "."],
    ],
    ids=["no-path", "bad-format", "unknown-check", "missing-path", "unknown-command"],
)
def test_bad_usage_exits_64(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    assert main(argv) == exit_codes.BAD_USAGE == 64
    assert "error" in capsys.readouterr().err


def test_console_script_runs_as_a_subprocess(project: Path) -> None:
    result = subprocess.run(
        [
            str(BIN_DIR / "cookiecutter-ai-service"),
            "audit",
            "--against",
            "worktree",
            "--format",
            "markdown",
            str(project),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("# Template audit")
    assert "exit 0" in result.stdout
    # The template's hooks ran during the render, but their output stayed off stdout.
    assert "Next steps" not in result.stdout
