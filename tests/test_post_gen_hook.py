"""The post-generation hook: provenance, lock file, and a clear word when it cannot lock."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from .baking import TEMPLATE_DIR, bake


def template_head() -> str | None:
    result = subprocess.run(
        ["git", "-C", str(TEMPLATE_DIR), "rev-parse", "HEAD"],
        capture_output=True,
        text=True,
        check=False,
    )
    return result.stdout.strip() or None


def test_provenance_names_the_template_and_its_commit(default_project: Path) -> None:
    record = json.loads((default_project / ".cruft.json").read_text())

    assert record["template"] == str(TEMPLATE_DIR)
    assert record["commit"] == template_head()
    assert record["context"]["cookiecutter"]["_commit"] == record["commit"]
    template_version = json.loads((TEMPLATE_DIR / "cookiecutter.json").read_text())
    assert (
        record["context"]["cookiecutter"]["_template_version"]
        == template_version["_template_version"]
    )
    assert record["checkout"] is None
    # cruft update leaves these alone: it rewrites the record itself, the lock is the project's.
    assert record["skip"] == [".cruft.json", "uv.lock"]


def test_lock_is_skipped_with_a_message_when_uv_is_missing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capfd: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("PATH", os.pathsep.join(["/usr/bin", "/bin"]))

    project = bake(tmp_path, lock=True)

    assert not (project / "uv.lock").exists()
    assert "uv.lock not written: uv is not installed" in capfd.readouterr().out


def test_uv_lock_is_written_at_bake_time(tmp_path: Path) -> None:
    project = bake(tmp_path, lock=True)

    lock = (project / "uv.lock").read_text()
    assert 'name = "fastapi"' in lock
    assert 'name = "ai-service"' in lock
