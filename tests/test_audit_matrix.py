"""A freshly baked project of every matrix combination audits clean, even with --fail-on warning."""

from __future__ import annotations

from pathlib import Path

import pytest

from .auditing import audit, failed
from .baking import bake
from .matrix import matrix, row_id


@pytest.mark.parametrize("answers", matrix(), ids=row_id)
def test_fresh_bake_audits_clean(answers: dict[str, str], tmp_path: Path) -> None:
    project = bake(tmp_path / "bake", **answers)

    code, report = audit(
        project, "--against", "worktree", "--fail-on", "warning", output=tmp_path / "report.json"
    )

    assert failed(report) == set(), report["reports"][0]["results"]
    assert code == 0
    repo = report["reports"][0]
    assert repo["drift"]["against"] == "worktree"
    assert repo["drift"]["roles"]["owned"] > 0
    assert repo["template"]["rendered"] == "working tree"
    statuses = {r["id"]: r["status"] for r in repo["results"]}
    # Checks of options the answers ruled out are not applicable, not failed.
    if answers.get("docker") == "no":
        assert statuses["DKR001"] == statuses["HLT003"] == "skip"
    if answers.get("ci_provider") == "none":
        assert statuses["CI001"] == statuses["DB002"] == "skip"
    # Evals arrived with template 0.3.0: a fresh bake has its suite, dataset and CI gate.
    assert statuses["EVL001"] == statuses["EVL002"] == "pass"
    assert statuses["EVL003"] == ("skip" if answers.get("ci_provider") == "none" else "pass")
