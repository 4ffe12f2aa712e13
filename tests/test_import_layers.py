"""The generated project's layers are checked, not claimed: `make lint` runs import-linter, and
an import that reaches up a layer, or HTTP inside `llm`, fails it."""

from __future__ import annotations

from pathlib import Path

import pytest

from .baking import bake, describe, run

# Function-level imports: ruff accepts them, so only the layers contract can fail.
CORE_IMPORTS_A_FEATURE = """

def _seeded_violation() -> object:
    from ..llm.gateway import ModelGateway

    return ModelGateway
"""
LLM_IMPORTS_HTTP = """

def _seeded_violation() -> object:
    from fastapi import Request

    return Request
"""


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return bake(tmp_path_factory.mktemp("layers"))


def make_lint(project: Path) -> tuple[int, str]:
    result = run(["make", "lint", "RUN="], project, env={"PYTHONPATH": str(project / "src")})
    return result.returncode, describe(result)


def test_the_baked_project_keeps_its_layers(project: Path) -> None:
    code, output = make_lint(project)

    assert code == 0, output
    assert "Contracts: 2 kept, 0 broken." in output


@pytest.mark.parametrize(
    ("module", "seed", "contract", "line"),
    [
        (
            "core/database.py",
            CORE_IMPORTS_A_FEATURE,
            "Layers: app > governance > evals",
            "ai_service.core.database -> ai_service.llm.gateway",
        ),
        (
            "llm/pricing.py",
            LLM_IMPORTS_HTTP,
            "llm knows nothing of HTTP",
            "ai_service.llm.pricing -> fastapi",
        ),
    ],
)
def test_a_seeded_violation_fails_make_lint(
    project: Path, module: str, seed: str, contract: str, line: str
) -> None:
    path = project / "src" / "ai_service" / module
    original = path.read_text()
    path.write_text(original + seed)
    try:
        code, output = make_lint(project)
    finally:
        path.write_text(original)

    assert code != 0, output
    assert f"{contract}" in output
    assert "BROKEN" in output
    assert line in output
