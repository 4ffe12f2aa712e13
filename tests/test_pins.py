"""Tested pins: a new bake locks exactly the versions the template's own environment tested.

`make pins` writes `{{cookiecutter.project_slug}}/tested-versions.txt` from the `test` extra of
the root pyproject.toml; `make install` installs this environment within it; the
post-generation hook locks the new project within it, then removes the file.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tomllib
from importlib.metadata import distributions
from pathlib import Path

import pytest
from packaging.markers import Marker
from packaging.utils import canonicalize_name

from .auditing import NOT_TEMPLATE
from .baking import BIN_DIR, SKIP_LOCK_ENV, TEMPLATE_DIR, bake, describe, run

PINS_FILE = TEMPLATE_DIR / "{{cookiecutter.project_slug}}" / "tested-versions.txt"
PIN = re.compile(r"^(?P<name>[A-Za-z0-9._-]+)==(?P<version>[^\s;]+)\s*(?:;\s*(?P<marker>.+))?$")
STALE = "the tested versions are stale: run `make pins` in the template (docs/releasing.md)"


def pins(path: Path = PINS_FILE) -> dict[str, dict[str, str | None]]:
    """name -> {version: marker}: a package can be pinned twice for different Pythons."""
    found: dict[str, dict[str, str | None]] = {}
    for line in path.read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            match = PIN.match(line)
            assert match, f"not a pin: {line!r}"
            name = canonicalize_name(match["name"])
            found.setdefault(name, {})[match["version"]] = match["marker"]
    return found


def installed() -> dict[str, str]:
    return {canonicalize_name(d.metadata["Name"]): d.version for d in distributions()}


def locked_versions(project: Path) -> dict[str, set[str]]:
    lock = tomllib.loads((project / "uv.lock").read_text())
    versions: dict[str, set[str]] = {}
    for package in lock["package"]:
        if "registry" in package.get("source", {}):
            versions.setdefault(canonicalize_name(package["name"]), set()).add(package["version"])
    return versions


@pytest.fixture(scope="module")
def locked_bake(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return locked(tmp_path_factory, "3.11")


def locked(
    tmp_path_factory: pytest.TempPathFactory, python: str, interpreter: str | None = None
) -> Path:
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("PATH", f"{BIN_DIR}{os.pathsep}{os.environ['PATH']}")  # the hook runs uv
        if interpreter:  # uv lock wants an interpreter that satisfies requires-python
            patch.setenv("UV_PYTHON", interpreter)
        return bake(tmp_path_factory.mktemp("locked"), lock=True, python_version=python)


def interpreter_for(version: str) -> str | None:
    """A working `pythonX.Y` on this machine (a pyenv shim may exist and still refuse to run)."""
    found = shutil.which(f"python{version}")
    candidates = [found] if found else []
    candidates += sorted(
        str(p) for p in Path.home().glob(f".pyenv/versions/{version}.*/bin/python3")
    )
    for candidate in candidates:
        probe = subprocess.run([candidate, "-c", "import sys"], capture_output=True, check=False)
        if probe.returncode == 0:
            return candidate
    return None


def test_this_environment_runs_exactly_the_tested_versions() -> None:
    here = installed()
    wrong = []
    for name, versions in pins().items():
        applicable = [v for v, mark in versions.items() if mark is None or Marker(mark).evaluate()]
        if applicable and here.get(name) not in applicable:
            wrong.append(f"{name}: pinned {applicable}, installed {here.get(name)}")
    assert wrong == [], "run `make install` (or `make pins` after changing pyproject.toml)"


def test_a_fresh_bake_locks_exactly_the_tested_versions(locked_bake: Path) -> None:
    tested, here = pins(), installed()

    lock = locked_versions(locked_bake)

    assert "fastapi" in lock and "ruff" in lock
    assert sorted(set(lock) - set(tested)) == [], STALE
    different = {
        name: (sorted(versions), sorted(tested[name]))
        for name, versions in lock.items()
        if not versions <= set(tested[name])
    }
    assert different == {}, STALE
    # The environment the template's tests ran in holds the same versions.
    not_as_tested = {
        name: (sorted(versions), here[name])
        for name, versions in lock.items()
        if name in here and here[name] not in versions
    }
    assert not_as_tested == {}


def test_every_supported_python_locks_within_the_tested_versions(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    """One pins file serves every option set: the generated dependencies do not vary by option,
    only `requires-python` does, and the pins are resolved for all of 3.11 and later."""
    tested, checked = pins(), []
    for python in ("3.12", "3.13"):
        interpreter = interpreter_for(python)
        if interpreter is None:
            continue
        lock = locked_versions(locked(tmp_path_factory, python, interpreter))
        outside = {n: sorted(v) for n, v in lock.items() if not v <= set(tested.get(n, {}))}
        assert outside == {}, f"Python {python}: {STALE}"
        checked.append(python)
    if not checked:
        pytest.skip("no Python 3.12 or 3.13 interpreter here for uv lock to use")


def test_the_pins_leave_no_trace_in_the_project(locked_bake: Path) -> None:
    pyproject = (locked_bake / "pyproject.toml").read_text()

    assert not (locked_bake / "tested-versions.txt").exists()
    assert "constraint-dependencies" not in pyproject
    lock = tomllib.loads((locked_bake / "uv.lock").read_text())
    assert "constraints" not in lock.get("manifest", {})
    # The lock matches the project's own pyproject.toml: `uv sync --locked` (CI) accepts it.
    check = run([str(BIN_DIR / "uv"), "lock", "--check", "--offline"], locked_bake)
    assert check.returncode == 0, describe(check)


def test_pins_that_cannot_resolve_fall_back_to_the_newest_with_a_message(
    tmp_path: Path, capfd: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", f"{BIN_DIR}{os.pathsep}{os.environ['PATH']}")
    monkeypatch.delenv(SKIP_LOCK_ENV, raising=False)
    template = Path(shutil.copytree(TEMPLATE_DIR, tmp_path / "template", ignore=NOT_TEMPLATE))
    broken = template / "{{cookiecutter.project_slug}}" / "tested-versions.txt"
    broken.write_text("fastapi==0.1.0\n")  # below the project's own lower bound
    subprocess.run(["git", "init", "-q"], cwd=template, check=True)

    from cookiecutter.main import cookiecutter

    project = Path(cookiecutter(str(template), no_input=True, output_dir=str(tmp_path / "out")))

    output = capfd.readouterr().out
    assert "uv.lock written with the newest versions: the tested versions did not resolve" in output
    assert (project / "uv.lock").is_file()
    assert not (project / "tested-versions.txt").exists()
