"""A file the audit cannot open is an error (exit 70), never a silent pass."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cookiecutter_ai_service import exit_codes
from cookiecutter_ai_service.cli import main


def test_an_unreadable_file_is_an_error_not_a_pass(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    repo = tmp_path / "repo"
    (repo / "src" / "app").mkdir(parents=True)
    secret_file = repo / "src" / "app" / "settings.py"
    secret_file.write_text('API_KEY = "not read"\n')
    original = Path.read_bytes

    def refuse(path: Path) -> bytes:
        # Tests run as root, which chmod cannot lock out: refuse the read instead.
        if path == secret_file:
            raise PermissionError(13, "Permission denied", str(path))
        return original(path)

    monkeypatch.setattr(Path, "read_bytes", refuse)

    code = main(["audit", str(repo), "--format", "json", "--fail-on", "never"])

    assert code == exit_codes.INTERNAL_ERROR
    report = json.loads(capsys.readouterr().out)
    (unreadable,) = [r for r in report["reports"][0]["results"] if r["id"] == "RD001"]
    assert unreadable["status"] == "error"
    assert unreadable["path"] == "src/app/settings.py"
