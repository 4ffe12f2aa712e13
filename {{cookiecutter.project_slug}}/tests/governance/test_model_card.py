"""docs/model-card.md is generated from the config and CI fails when it is stale."""

from __future__ import annotations

from pathlib import Path

import pytest

from {{ cookiecutter.package_name }}.__main__ import main

from .conftest import edit


def test_the_shipped_model_card_is_up_to_date(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["model-card", "--check"]) == 0, capsys.readouterr().err


@pytest.mark.parametrize(
    ("path", "old", "new", "shown"),
    [
        ("nfr.toml", "latency_p95_ms = 4000", "latency_p95_ms = 4500", "| 4500 ms |"),
        ("config/models.toml", 'version = "', 'version = "9', "version `9"),
        ("config/models.toml", 'owner = "@ai-team"', 'owner = "@ml-team"', "| @ml-team |"),
    ],
)
def test_a_changed_input_makes_the_card_stale_until_regenerated(
    project: Path,
    capsys: pytest.CaptureFixture[str],
    path: str,
    old: str,
    new: str,
    shown: str,
) -> None:
    edit(project / path, old, new)

    assert main(["model-card", "--check"]) == 1
    assert "docs/model-card.md is stale" in capsys.readouterr().err
    assert main(["model-card"]) == 0
    assert shown in (project / "docs" / "model-card.md").read_text()
    assert main(["model-card", "--check"]) == 0
