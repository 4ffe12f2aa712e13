"""A copy of the project's governance files in a temporary directory, the working directory of
the test, so a test can change one and run the real command on it."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from ..factories import PROJECT_DIR, TEST_SECRET_KEY

GOVERNED = ("nfr.toml", "CODEOWNERS", "config", "evals", "docs/model-card.md")


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    for name in GOVERNED:
        source, target = PROJECT_DIR / name, tmp_path / name
        target.parent.mkdir(parents=True, exist_ok=True)
        if source.is_dir():
            shutil.copytree(source, target)
        else:
            shutil.copy(source, target)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("APP_ENV", "test")
    monkeypatch.setenv("APP_SECRET_KEY", TEST_SECRET_KEY)
    monkeypatch.setenv("APP_DATABASE_URL", f"sqlite+aiosqlite:///{tmp_path / 'cli.db'}")
    return tmp_path


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} is not in {path}"
    path.write_text(text.replace(old, new), encoding="utf-8")
