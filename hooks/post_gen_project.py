"""Shape the freshly rendered project to the answers, then record where it came from.

Runs inside the new project directory. It is offline and non-interactive: the one command
that may touch the network is `uv lock`, and it is skipped with a message when it cannot run.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

# tojson escapes single quotes, so the raw string below cannot end early.
CONTEXT: dict[str, object] = json.loads(r'''{{ cookiecutter | tojson }}''')

# Files that exist only for one answer: removed when the answer is different.
FILES_OF_OPTION: dict[tuple[str, str], list[str]] = {
    ("docker", "yes"): [
        "Dockerfile",
        ".dockerignore",
        "compose.yaml",
        ".hadolint.yaml",
        # Container deployment: Kubernetes, and what compose mounts into Prometheus and Grafana.
        # The alert rules and the dashboard stay: they serve any Prometheus and Grafana.
        "deploy/kubernetes",
        "deploy/prometheus/prometheus.yml",
        "deploy/grafana/provisioning",
        "docs/deploy.md",
    ],
    ("ci_provider", "github"): [".github"],
    ("ci_provider", "gitlab"): [".gitlab-ci.yml"],
}
# Files with one variant per answer: the chosen variant takes the plain name, the others go.
VARIANTS: list[tuple[str, str, str]] = [
    ("model_provider", "config/models.{}.toml", "config/models.toml"),
    # Generated from the models file it goes with (`make model-card`); a test keeps it fresh.
    ("model_provider", "docs/model-card.{}.md", "docs/model-card.md"),
]
MODEL_PROVIDERS = ("fake", "openai", "anthropic")
# Keys of the context that describe this machine, not the project: never recorded.
MACHINE_KEYS = {"_output_dir", "_repo_dir", "_checkout", "__prompts__"}
REMOTE_PREFIXES = ("gh:", "gl:", "bb:", "git@", "git+", "http://", "https://", "ssh://", "file://")
SKIP_LOCK_ENV = "AI_SERVICE_TEMPLATE_SKIP_LOCK"
# The versions the template's CI tested (`make pins` in the template writes this file): the
# first `uv lock` resolves within them, then the file goes; the lock is the project's record.
TESTED_VERSIONS = "tested-versions.txt"
# cruft leaves these out of an update: it rewrites the record itself after applying the
# template's changes (a rendered record only conflicts with it), and the lock belongs to the
# project (`uv lock` after an update re-resolves what the new pyproject.toml asks for).
UPDATE_SKIP = [".cruft.json", "uv.lock"]


def remove_unselected_files(project: Path) -> None:
    for (field, value), paths in FILES_OF_OPTION.items():
        if CONTEXT[field] == value:
            continue
        for relative in paths:
            target = project / relative
            if target.is_dir():
                shutil.rmtree(target)
            elif target.exists():
                target.unlink()


def install_variants(project: Path) -> None:
    for field, pattern, target in VARIANTS:
        shutil.move(str(project / pattern.format(CONTEXT[field])), project / target)
        for other in MODEL_PROVIDERS:
            (project / pattern.format(other)).unlink(missing_ok=True)


def install_license(project: Path) -> None:
    licenses = project / "licenses"
    chosen = licenses / f"{CONTEXT['license']}.txt"
    shutil.move(str(chosen), project / "LICENSE")
    shutil.rmtree(licenses)


def template_directory() -> Path | None:
    """The template's directory on this machine, when it is a directory we can find."""
    repo_dir = Path(str(CONTEXT.get("_repo_dir", "")))
    if not repo_dir.is_absolute():
        # Cookiecutter passes a local template as typed; hooks run in the new project, so
        # resolve it against the directory the user ran cookiecutter from.
        repo_dir = Path(os.environ.get("PWD", "/nonexistent")) / repo_dir
    return repo_dir.resolve() if (repo_dir / "cookiecutter.json").is_file() else None


def template_commit(directory: Path | None) -> str | None:
    if directory is None or shutil.which("git") is None:
        return None
    result = subprocess.run(
        ["git", "-C", str(directory), "rev-parse", "HEAD"],
        capture_output=True,
        text=True,
        check=False,
    )
    return result.stdout.strip() or None if result.returncode == 0 else None


def write_provenance(project: Path) -> None:
    """Write a cruft-compatible .cruft.json so `cruft check/diff/update` and the audit work."""
    template = str(CONTEXT["_template"])
    directory = template_directory()
    if directory is not None and not template.startswith(REMOTE_PREFIXES):
        template = str(directory)
    # cruft renders from a checkout it made and passes the commit it used as _commit.
    commit = template_commit(directory) or CONTEXT.get("_commit")
    answers = {key: value for key, value in CONTEXT.items() if key not in MACHINE_KEYS}
    answers["_template"] = template
    answers["_commit"] = commit
    record = {
        "template": template,
        "commit": commit,
        "checkout": CONTEXT.get("_checkout"),
        "context": {"cookiecutter": answers},
        "directory": None,
        "skip": UPDATE_SKIP,
    }
    (project / ".cruft.json").write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")


def tested_versions(project: Path) -> list[str]:
    """The pins of the tested-versions file (`name==version ; markers`); the file is removed."""
    path = project / TESTED_VERSIONS
    if not path.is_file():
        return []
    lines = path.read_text(encoding="utf-8").splitlines()
    path.unlink()
    return [line.split("#", 1)[0].strip() for line in lines if line.split("#", 1)[0].strip()]


def with_constraints(pyproject: str, pins: list[str]) -> str:
    """pyproject.toml text with `[tool.uv] constraint-dependencies` set to `pins`."""
    entry = "constraint-dependencies = [" + ", ".join(json.dumps(pin) for pin in pins) + "]\n"
    if "\n[tool.uv]\n" in pyproject:
        return pyproject.replace("\n[tool.uv]\n", "\n[tool.uv]\n" + entry, 1)
    return pyproject + "\n[tool.uv]\n" + entry


def uv_lock(project: Path, *options: str) -> str | None:
    """None when `uv lock` succeeded, else why it did not."""
    try:
        result = subprocess.run(
            ["uv", "lock", "--quiet", *options],
            cwd=project,
            capture_output=True,
            text=True,
            timeout=180,
            check=False,
        )
    except subprocess.TimeoutExpired:
        return "`uv lock` timed out (is the package registry reachable?)"
    if result.returncode != 0:
        reason = (result.stderr.strip().splitlines() or ["unknown error"])[-1]
        return f"`uv lock` failed ({reason})"
    return None


def lock_dependencies(project: Path) -> str:
    pins = tested_versions(project)
    if os.environ.get(SKIP_LOCK_ENV):
        return f"uv.lock not written ({SKIP_LOCK_ENV} is set): run `uv lock` in the project."
    if shutil.which("uv") is None:
        return "uv.lock not written: uv is not installed. Install it (pip install uv), then run `uv lock`."
    if pins:
        pyproject = project / "pyproject.toml"
        original = pyproject.read_text(encoding="utf-8")
        pyproject.write_text(with_constraints(original, pins), encoding="utf-8")
        try:
            failure = uv_lock(project)
        finally:
            pyproject.write_text(original, encoding="utf-8")
        if failure is None:
            # Again without the constraints: the same versions (uv keeps what still fits), and
            # a lock that matches the project's own pyproject.toml. Everything is in uv's cache.
            failure = uv_lock(project, "--offline")
            if failure is not None:
                failure = uv_lock(project)
            if failure is None:
                return "uv.lock written, with the versions this template release was tested with."
        if "timed out" in failure:
            return f"uv.lock not written: {failure}. Run `uv lock` when the registry is reachable."
        fallback = uv_lock(project)
        if fallback is None:
            return (
                f"uv.lock written with the newest versions: the tested versions did not resolve "
                f"({failure})."
            )
        return f"uv.lock not written: {fallback}. Run it again when the registry is reachable."
    failure = uv_lock(project)
    if failure is not None:
        return f"uv.lock not written: {failure}. Run it again when the registry is reachable."
    return "uv.lock written."


def main() -> int:
    project = Path.cwd()
    remove_unselected_files(project)
    install_variants(project)
    install_license(project)
    write_provenance(project)
    lock_message = lock_dependencies(project)
    slug = CONTEXT["project_slug"]
    print(
        f"\nCreated {slug}. {lock_message}\n\n"
        f"Next steps:\n"
        f"  cd {slug}\n"
        f"  make install   # uv sync: the virtual environment with every tool pinned\n"
        f"  make run       # migrate, then serve on http://127.0.0.1:8000\n"
        f"  make check     # everything CI runs\n"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
