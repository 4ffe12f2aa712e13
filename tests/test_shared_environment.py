"""The shared test environment must satisfy what a generated project asks for.

The bake matrix runs each baked project's checks with this environment's tools instead of
installing them per project; that is only honest while the versions agree.
"""

from __future__ import annotations

import tomllib
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

import pytest
from packaging.requirements import Requirement


def generated_requirements(project: Path) -> list[Requirement]:
    pyproject = tomllib.loads((project / "pyproject.toml").read_text())
    listed = [*pyproject["project"]["dependencies"], *pyproject["dependency-groups"]["dev"]]
    return [Requirement(line) for line in listed]


def test_every_generated_requirement_is_installed_at_a_matching_version(
    default_project: Path,
) -> None:
    mismatches = []
    for requirement in generated_requirements(default_project):
        try:
            installed = version(requirement.name)
        except PackageNotFoundError:
            mismatches.append(f"{requirement}: not installed")
            continue
        if not requirement.specifier.contains(installed, prereleases=True):
            mismatches.append(f"{requirement}: installed {installed}")
    assert mismatches == [], "update the test extra in the root pyproject.toml"


@pytest.mark.parametrize("tool", ["ruff", "mypy"])
def test_checkers_are_pinned_exactly(default_project: Path, tool: str) -> None:
    """Lint and type verdicts change between releases, so both are pinned with ==."""
    (pin,) = [r for r in generated_requirements(default_project) if r.name == tool]

    assert str(pin.specifier).startswith("==")
