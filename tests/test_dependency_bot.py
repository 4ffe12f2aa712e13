"""The dependency bot (Renovate) in the template and in a generated project, checked offline
against the Renovate schema check-jsonschema vendors, plus a strict pass over the key names
(the schema accepts unknown keys, so a typo would otherwise be ignored by the bot)."""

from __future__ import annotations

import json
import re
from importlib.resources import files
from pathlib import Path
from typing import Any

import pytest

from .baking import BIN_DIR, TEMPLATE_DIR, describe, run

SCHEMA = json.loads(
    (files("check_jsonschema") / "builtin_schemas" / "vendor" / "renovate.json").read_text()
)


def validate(path: Path) -> None:
    command = [str(BIN_DIR / "check-jsonschema"), "--builtin-schema", "vendor.renovate", str(path)]
    result = run(command, path.parent)
    assert result.returncode == 0, describe(result)


def unknown_keys(config: dict[str, Any]) -> list[str]:
    known = set(SCHEMA["definitions"]) | {"$schema"}
    names = list(config)
    for rule in config.get("packageRules", []):
        names += list(rule)
    for value in config.values():
        if isinstance(value, dict):
            names += list(value)
    return sorted(set(names) - known)


def test_a_generated_project_updates_python_ci_and_images(default_project: Path) -> None:
    path = default_project / "renovate.json"
    validate(path)
    config = json.loads(path.read_text())

    assert unknown_keys(config) == []
    assert {"pep621", "github-actions", "gitlabci", "dockerfile", "docker-compose"} <= set(
        config["enabledManagers"]
    )
    assert config["lockFileMaintenance"]["enabled"] is True  # uv.lock, transitive versions too
    assert config["pep621"]["rangeStrategy"] == "update-lockfile"
    [images] = [r for r in config["packageRules"] if "pinDigests" in r]
    assert images["matchDatasources"] == ["docker"] and images["pinDigests"] is True


def test_the_dockerfile_names_each_image_so_the_bot_can_pin_it(default_project: Path) -> None:
    """An image behind an ARG cannot be pinned by Renovate; each FROM names its tag."""
    froms = re.findall(r"^FROM (\S+)", (default_project / "Dockerfile").read_text(), re.M)

    assert len(froms) == 3
    assert all("$" not in image and ":" in image for image in froms)


def test_the_template_refreshes_its_tested_versions() -> None:
    path = TEMPLATE_DIR / "renovate.json"
    validate(path)
    config = json.loads(path.read_text())

    assert unknown_keys(config) == []
    patterns = config["pip-compile"]["managerFilePatterns"]
    pins = "{{cookiecutter.project_slug}}/tested-versions.txt"
    assert any(re.search(p.strip("/"), pins) for p in patterns)
    # Renovate re-runs the command in the file's header, so it must be the real one.
    header = (TEMPLATE_DIR / pins).read_text().splitlines()[1]
    assert header.lstrip("# ").startswith("uv pip compile pyproject.toml --extra test")


@pytest.mark.parametrize(
    "broken", [{"enabledManagers": ["not-a-manager"]}, {"lockFileMaintenance": []}]
)
def test_the_validator_refuses_a_broken_config(tmp_path: Path, broken: dict[str, Any]) -> None:
    path = tmp_path / "renovate.json"
    path.write_text(json.dumps({"extends": ["config:recommended"], **broken}))
    command = [str(BIN_DIR / "check-jsonschema"), "--builtin-schema", "vendor.renovate", str(path)]

    result = run(command, tmp_path)

    assert result.returncode == 1, describe(result)


def test_a_misspelt_key_is_caught() -> None:
    assert unknown_keys({"lockFileMaintenence": {"enabled": True}}) == ["lockFileMaintenence"]
