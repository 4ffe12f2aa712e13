"""Seeded faults in a fresh bake are found, named, located and mapped to the right exit code."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from cookiecutter_ai_service import exit_codes
from cookiecutter_ai_service.cli import main

from .auditing import audit, copy_project, failed, results
from .baking import bake

pytestmark = pytest.mark.xdist_group("audit-faults")
PACKAGE = "src/ai_service"
FAKE_KEY = "sk-proj-" + "Zq3xR9vB2mK7pL4wT8yN1cF6hJ5dS0aQ"  # built here, not a literal


@pytest.fixture(scope="module")
def pristine(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return bake(tmp_path_factory.mktemp("pristine"))


@pytest.fixture
def project(pristine: Path, tmp_path: Path) -> Path:
    return copy_project(pristine, tmp_path / "repo")


def run(project: Path, tmp_path: Path, *args: str) -> tuple[int, dict]:
    return audit(project, "--against", "worktree", *args, output=tmp_path / "report.json")


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1))


def test_deleted_health_module_is_the_loudest_finding(project: Path, tmp_path: Path) -> None:
    (project / PACKAGE / "health/router.py").unlink()

    code, report = run(project, tmp_path)

    by_id = results(report)
    assert [r["path"] for r in by_id["DRF001"]] == [f"{PACKAGE}/health/router.py"]
    assert by_id["DRF001"][0]["status"] == "fail"
    assert {"HLT001", "HLT002"} <= failed(report)  # the routes are gone too
    assert code == exit_codes.CONTROL_FAILURES | exit_codes.OWNED_DRIFT == 3
    text_out = tmp_path / "report.txt"
    main(["audit", "--against", "worktree", "--output", str(text_out), str(project)])
    first_failure = next(
        line for line in text_out.read_text().splitlines() if line.startswith(("FAIL", "ERROR"))
    )
    assert "DRF001" in first_failure


def test_modified_owned_file_has_a_diff_and_a_line_count(project: Path, tmp_path: Path) -> None:
    logging_module = project / PACKAGE / "core/logging.py"
    logging_module.write_text(logging_module.read_text() + "\nLOCAL_TWEAK = True\n")

    code, report = run(project, tmp_path)

    [drift] = results(report)["DRF002"]
    assert drift["status"] == "fail"
    assert drift["path"] == f"{PACKAGE}/core/logging.py"
    assert drift["changed_lines"] == 2  # the blank line and the constant
    assert code == exit_codes.OWNED_DRIFT
    for fmt in ("text", "markdown"):
        out = tmp_path / f"report.{fmt}"
        main(
            ["audit", "--against", "worktree", "--format", fmt, "--output", str(out), str(project)]
        )
        assert "+LOCAL_TWEAK = True" in out.read_text()
        assert f"template/{PACKAGE}/core/logging.py" in out.read_text()


def test_removed_ci_job_is_structured_drift_and_a_failed_control(
    project: Path, tmp_path: Path
) -> None:
    workflow = project / ".github/workflows/ci.yml"
    text = workflow.read_text()
    start, end = text.index("  typecheck:\n"), text.index("  test:\n")
    text = text[:start] + text[end:]
    # pre-commit's mypy hook type-checks too: the lint job's pre-commit step goes as well.
    workflow.write_text(
        "\n".join(line for line in text.splitlines() if "pre-commit run" not in line) + "\n"
    )

    code, report = run(project, tmp_path)

    [drift] = results(report)["DRF003"]
    assert drift["path"] == ".github/workflows/ci.yml"
    assert "job 'typecheck'" in drift["message"]
    assert "CI003" in failed(report)
    assert "pre-commit hooks" in results(report)["CI003"][0]["message"]
    assert code == exit_codes.CONTROL_FAILURES


def test_hard_coded_key_is_found_where_it_is(project: Path, tmp_path: Path) -> None:
    module = project / PACKAGE / "tasks/registry.py"
    module.write_text(module.read_text() + f'\nOPENAI_API_KEY = "{FAKE_KEY}"\n')

    code, report = run(project, tmp_path)

    [leak] = results(report)["SEC002"]
    assert leak["status"] == "fail"
    assert leak["path"] == f"{PACKAGE}/tasks/registry.py"
    assert leak["line"] == len(module.read_text().splitlines())
    assert FAKE_KEY not in json.dumps(report)  # the report names the key's kind, not its value
    assert code == exit_codes.CONTROL_FAILURES


def test_removed_pre_commit_hook(project: Path, tmp_path: Path) -> None:
    config = project / ".pre-commit-config.yaml"
    text = config.read_text()
    start = text.index("      - id: detect-private-key")
    end = text.index("      - id: detect-aws-credentials")
    config.write_text(text[:start] + text[end:])

    code, report = run(project, tmp_path)

    assert "PRE003" in failed(report)
    assert "detect-private-key" in results(report)["PRE003"][0]["message"]
    assert "hook 'detect-private-key'" in results(report)["DRF003"][0]["message"]
    assert code == exit_codes.CONTROL_FAILURES


def waiver(check: str, expires: str, path: str | None = None) -> str:
    where = f'path = "{path}"\n' if path else ""
    return (
        "\n[[tool.cookiecutter-ai-service.audit.waivers]]\n"
        f'id = "{check}"\n{where}reason = "Rotated; removal tracked in SEC-42"\n'
        f'owner = "platform-team"\nexpires = {expires}\n'
    )


def test_expired_waiver_fails_and_a_live_one_shows_everywhere(
    project: Path, tmp_path: Path
) -> None:
    module = project / PACKAGE / "tasks/registry.py"
    module.write_text(module.read_text() + f'\nOPENAI_API_KEY = "{FAKE_KEY}"\n')
    pyproject = project / "pyproject.toml"
    pyproject.write_text(pyproject.read_text() + waiver("SEC002", "2999-12-31", f"{PACKAGE}/**"))

    code, report = run(project, tmp_path)

    [held] = results(report)["SEC002"]
    assert held["status"] == "waived"
    assert held["waiver"] == {
        "id": "SEC002",
        "reason": "Rotated; removal tracked in SEC-42",
        "owner": "platform-team",
        "expires": "2999-12-31",
        "path": f"{PACKAGE}/**",
    }
    assert code == exit_codes.CLEAN
    for fmt in ("text", "markdown", "sarif"):
        out = tmp_path / f"waived.{fmt}"
        main(
            ["audit", "--against", "worktree", "--format", fmt, "--output", str(out), str(project)]
        )
        shown = out.read_text()
        assert "SEC002" in shown and "Rotated; removal tracked in SEC-42" in shown
        if fmt == "sarif":  # a failure, marked as accepted
            found = json.loads(shown)["runs"][0]["results"]
            assert len(found) == 1, [(r["ruleId"], r["message"]["text"][:300]) for r in found]
            [result] = found
            assert result["suppressions"][0]["status"] == "accepted"

    pyproject.write_text(pyproject.read_text() + waiver("DKR004", "2001-01-31"))
    code, report = run(project, tmp_path)

    [expired] = results(report)["WVR001"]
    assert expired["status"] == "fail"
    assert "DKR004" in expired["message"] and "2001-01-31" in expired["message"]
    assert expired["path"] == "pyproject.toml"
    assert code == exit_codes.CONTROL_FAILURES


def test_incomplete_waiver_and_override_are_failures(project: Path, tmp_path: Path) -> None:
    pyproject = project / "pyproject.toml"
    pyproject.write_text(
        pyproject.read_text()
        + '\n[[tool.cookiecutter-ai-service.audit.waivers]]\nid = "SEC002"\nreason = "later"\n'
        + '\n[[tool.cookiecutter-ai-service.audit.overrides]]\npaths = ["Dockerfile"]\n'
        + 'role = "seeded"\n'
    )

    code, report = run(project, tmp_path)

    messages = [r["message"] for r in results(report)["WVR002"]]
    assert any("lacks owner, expires" in m for m in messages)
    assert any("override 1 needs paths, a role" in m for m in messages)
    assert code == exit_codes.CONTROL_FAILURES


def test_role_override_with_a_reason_accepts_a_changed_owned_file(
    project: Path, tmp_path: Path
) -> None:
    settings = project / PACKAGE / "core/settings.py"
    settings.write_text(settings.read_text() + "\n# billing settings live here too\n")
    pyproject = project / "pyproject.toml"
    pyproject.write_text(
        pyproject.read_text()
        + '\n[[tool.cookiecutter-ai-service.audit.overrides]]\npaths = ["src/*/core/settings.py"]\n'
        + 'role = "seeded"\nreason = "Billing settings (ADR-12)"\n'
    )

    code, report = run(project, tmp_path)

    assert "DRF002" not in failed(report)
    assert code == exit_codes.CLEAN


def test_missing_version_record_skips_drift_and_says_why(project: Path, tmp_path: Path) -> None:
    (project / ".cruft.json").unlink()

    code, report = run(project, tmp_path, "--fail-on", "warning")

    repo = report["reports"][0]
    [missing] = results(report)["VER001"]
    assert missing["status"] == "fail"
    assert "record was probably deleted" in missing["message"]
    assert repo["drift"] is None and "no version record" in repo["drift_note"]
    assert not any(r["kind"] == "drift" for r in repo["results"])
    # Unknown answers: every check applies, including the option-specific ones.
    assert failed(report) == {"VER001"}
    assert code == exit_codes.CONTROL_FAILURES


def test_invalid_version_record_exits_65(project: Path, tmp_path: Path) -> None:
    (project / ".cruft.json").write_text('{"template": "", "context": {}}')

    code, report = run(project, tmp_path, "--fail-on", "never")

    assert code == exit_codes.INVALID_RECORD == 65
    assert results(report)["VER002"][0]["status"] == "error"
    assert report["reports"][0]["errors"]
    assert "HLT001" in results(report)  # the controls still ran


def test_unreachable_template_exits_69(project: Path, tmp_path: Path) -> None:
    record = json.loads((project / ".cruft.json").read_text())
    record["template"] = "https://example.invalid/nobody/cookiecutter-ai-service.git"
    (project / ".cruft.json").write_text(json.dumps(record))

    code, report = audit(project, output=tmp_path / "report.json")

    assert code == exit_codes.TEMPLATE_UNREACHABLE == 69
    repo = report["reports"][0]
    assert "cannot be reached offline" in repo["drift_note"]
    assert repo["drift"] is None
    assert results(report)["HLT001"][0]["status"] == "pass"


def test_refused_answers_exit_65(project: Path, tmp_path: Path) -> None:
    record = json.loads((project / ".cruft.json").read_text())
    record["context"]["cookiecutter"]["database"] = "mysql"
    (project / ".cruft.json").write_text(json.dumps(record))

    code, report = run(project, tmp_path)

    assert code == exit_codes.INVALID_RECORD
    assert re.search(r"mysql", results(report)["VER002"][0]["message"])
