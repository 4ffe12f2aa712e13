"""Moving a project across template releases with `cruft update`, as a team would.

The template repositories here are built from this one: the previous release (the newest
commit whose `_template_version` differs from the working tree's, found in git history, not by
tag) and the working tree as it is now, committed on top. See docs/updating.md and CHANGELOG.md.
"""

from __future__ import annotations

import filecmp
import io
import json
import shutil
import subprocess
import tarfile
from dataclasses import dataclass
from pathlib import Path

import pytest

from .auditing import NOT_TEMPLATE, bake_from, git
from .baking import BIN_DIR, SKIP_LOCK_ENV, TEMPLATE_DIR, describe, run

pytestmark = pytest.mark.xdist_group("updates")
CRUFT = str(BIN_DIR / "cruft")
UPDATE_SKIP = [".cruft.json", "uv.lock"]


def template_version(cookiecutter_json: str) -> str | None:
    version = json.loads(cookiecutter_json).get("_template_version")
    return str(version) if version is not None else None


def previous_release() -> tuple[str, str]:
    """(commit, version) of the last commit of the previous release on HEAD's first-parent line."""
    current = template_version((TEMPLATE_DIR / "cookiecutter.json").read_text())
    history = git(TEMPLATE_DIR, "rev-list", "--first-parent", "HEAD").split()
    for commit in history:
        shown = subprocess.run(
            ["git", "-C", str(TEMPLATE_DIR), "show", f"{commit}:cookiecutter.json"],
            capture_output=True,
            text=True,
            check=False,
        )
        version = template_version(shown.stdout) if shown.returncode == 0 else None
        if version is not None and version != current:
            return commit, version
    pytest.fail(f"no commit of an earlier release than {current} in {len(history)} commits")


def release_tuple(version: str) -> tuple[int, ...]:
    return tuple(int(part) for part in version.split("."))


def write_tree_of(commit: str, destination: Path) -> None:
    archive = subprocess.run(
        ["git", "-C", str(TEMPLATE_DIR), "archive", commit], capture_output=True, check=True
    ).stdout
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(destination, filter="data")


def replace_tree(repository: Path, source: Path) -> None:
    """The repository's files become the working tree of `source` (its .git stays)."""
    for entry in repository.iterdir():
        if entry.name != ".git":
            shutil.rmtree(entry) if entry.is_dir() else entry.unlink()
    shutil.copytree(source, repository, ignore=NOT_TEMPLATE, dirs_exist_ok=True)


def commit_all(directory: Path, message: str) -> str:
    git(directory, "add", "-A")
    git(directory, "commit", "-q", "-m", message)
    return git(directory, "rev-parse", "HEAD")


def new_repository(directory: Path) -> None:
    git(directory, "init", "-q", "-b", "main")


def cruft(project: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return run([CRUFT, *args], project, env={SKIP_LOCK_ENV: "1"}, timeout=600)


def leftovers(project: Path) -> list[str]:
    return sorted(
        str(path.relative_to(project))
        for path in project.rglob("*")
        if ".git" not in path.parts and path.suffix in {".rej", ".orig"}
    )


def files(root: Path) -> set[str]:
    return {
        str(path.relative_to(root))
        for path in root.rglob("*")
        if path.is_file() and ".git" not in path.parts
    }


def add_update_skip(project: Path) -> None:
    """CHANGELOG 0.4.0, manual step for projects made before it: cruft skips its own record."""
    record_path = project / ".cruft.json"
    record = json.loads(record_path.read_text())
    record["skip"] = UPDATE_SKIP
    record_path.write_text(json.dumps(record, indent=2) + "\n")
    commit_all(project, "cruft: skip .cruft.json and uv.lock in updates")


@dataclass
class Updated:
    project: Path
    fresh: Path
    result: subprocess.CompletedProcess[str]
    head: str
    previous_version: str


@pytest.fixture(scope="module")
def updated(tmp_path_factory: pytest.TempPathFactory) -> Updated:
    """A project baked at the previous release, committed, then updated to the working tree."""
    root = tmp_path_factory.mktemp("release-update")
    template = root / "template"
    template.mkdir()
    commit, version = previous_release()
    write_tree_of(commit, template)
    new_repository(template)
    commit_all(template, f"release {version}")

    project = bake_from(template, root / "baked")
    new_repository(project)
    commit_all(project, f"generated from {version}")
    if release_tuple(version) < (0, 4, 0):
        add_update_skip(project)

    replace_tree(template, TEMPLATE_DIR)
    head = commit_all(template, "this release")
    result = cruft(project, "update", "-y")
    fresh = bake_from(template, root / "fresh")
    return Updated(project, fresh, result, head, version)


def test_an_update_from_the_previous_release_applies_cleanly(updated: Updated) -> None:
    assert updated.result.returncode == 0, describe(updated.result)
    assert "Failed to apply" not in updated.result.stdout + updated.result.stderr
    assert leftovers(updated.project) == []
    conflicted = git(updated.project, "diff", "--name-only", "--diff-filter=U")
    assert conflicted == ""


def test_the_updated_project_is_what_a_new_bake_would_be(updated: Updated) -> None:
    project, fresh = updated.project, updated.fresh

    assert files(project) == files(fresh)
    different = [
        name
        for name in sorted(files(project) - {".cruft.json"})
        if not filecmp.cmp(project / name, fresh / name, shallow=False)
    ]
    assert different == []
    record = json.loads((project / ".cruft.json").read_text())
    assert record["commit"] == updated.head
    assert record["skip"] == UPDATE_SKIP
    current = template_version((TEMPLATE_DIR / "cookiecutter.json").read_text())
    assert record["context"]["cookiecutter"]["_template_version"] == current


def test_the_updated_project_passes_its_checks(updated: Updated, tmp_path: Path) -> None:
    env = {
        "PYTHONPATH": str(updated.project / "src"),
        "MYPY_CACHE_DIR": str(tmp_path / "mypy"),
        "RUFF_CACHE_DIR": str(tmp_path / "ruff"),
    }
    result = run(["make", "check", "RUN="], updated.project, env=env, timeout=900)

    assert result.returncode == 0, describe(result)


def test_an_edited_owned_file_shows_a_conflict_and_loses_nothing(tmp_path: Path) -> None:
    template = tmp_path / "template"
    shutil.copytree(TEMPLATE_DIR, template, ignore=NOT_TEMPLATE)
    new_repository(template)
    commit_all(template, "this release")
    project = bake_from(template, tmp_path / "baked")
    new_repository(project)
    commit_all(project, "generated")

    owned = "alembic.ini"  # owned in audit-manifest.toml: teams are told not to edit it
    first, rest = (project / owned).read_text().split("\n", 1)
    (project / owned).write_text("# Our team's wording of this line.\n" + rest)
    (project / "NOTES.md").write_text("Our notes.\n")
    commit_all(project, "local changes")
    template_file = template / "{{cookiecutter.project_slug}}" / owned
    template_file.write_text(
        "# The next release's wording of this line.\n" + template_file.read_text().split("\n", 1)[1]
    )
    head = commit_all(template, "next release")

    result = cruft(project, "update", "-y")

    output = result.stdout + result.stderr
    assert f"Applied patch to '{owned}' with conflicts" in output, describe(result)
    text = (project / owned).read_text()
    assert "<<<<<<<" in text and ">>>>>>>" in text
    assert "# Our team's wording of this line." in text
    assert "# The next release's wording of this line." in text
    assert first not in text
    assert text.endswith(rest)
    assert git(project, "diff", "--name-only", "--diff-filter=U") == owned
    assert (project / "NOTES.md").read_text() == "Our notes.\n"
    assert leftovers(project) == []
    assert json.loads((project / ".cruft.json").read_text())["commit"] == head
