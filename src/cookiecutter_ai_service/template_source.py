"""Where the template is, which commit to render, and a copy of it at that commit. Offline.

A local directory (a git checkout, or a plain copy) is used directly; a `file://` URL too.
A remote URL is used only through a clone already on this machine (cookiecutter's cache):
the audit never goes to the network, so anything else is "unreachable" (exit 69) and
`--template PATH` points it at a local clone.
"""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import tarfile
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

REMOTE_PREFIXES = ("gh:", "gl:", "bb:", "git@", "git+", "http://", "https://", "ssh://")
WORKTREE = "worktree"


class TemplateUnreachable(Exception):
    """The template, or the commit asked for, cannot be had offline: the audit exits 69."""


@dataclass(frozen=True)
class TemplateSource:
    location: str  # as recorded or given
    directory: Path

    @property
    def is_git(self) -> bool:
        return git(self.directory, "rev-parse", "--is-inside-work-tree") == "true"

    def head(self) -> str | None:
        return git(self.directory, "rev-parse", "HEAD") if self.is_git else None

    def has_commit(self, commit: str) -> bool:
        return git(self.directory, "cat-file", "-e", f"{commit}^{{commit}}") is not None

    def resolve(self, commit: str) -> str | None:
        return git(self.directory, "rev-parse", "--verify", "--quiet", f"{commit}^{{commit}}")

    def commits_between(self, old: str, new: str) -> int | None:
        count = git(self.directory, "rev-list", "--count", f"{old}..{new}")
        return int(count) if count and count.isdigit() else None

    def version_at(self, commit: str | None) -> str | None:
        """`_template_version` of cookiecutter.json at a commit (None: the working tree)."""
        if commit is None:
            path = self.directory / "cookiecutter.json"
            text = path.read_text(encoding="utf-8") if path.is_file() else None
        else:
            text = git(self.directory, "show", f"{commit}:cookiecutter.json")
        try:
            version = json.loads(text or "").get("_template_version")
        except (ValueError, AttributeError):
            return None
        return str(version) if version is not None else None

    @contextlib.contextmanager
    def checkout(self, commit: str | None) -> Iterator[Path]:
        """The template's files at `commit` in a temporary directory; None: the directory as is."""
        if commit is None:
            yield self.directory
            return
        with tempfile.TemporaryDirectory(prefix="aisvc-template-") as scratch:
            archive = Path(scratch) / "template.tar"
            target = Path(scratch) / "template"
            target.mkdir()
            with archive.open("wb") as sink:
                result = subprocess.run(
                    ["git", "-C", str(self.directory), "archive", "--format=tar", commit],
                    stdout=sink,
                    stderr=subprocess.PIPE,
                    check=False,
                    timeout=120,
                )
            if result.returncode != 0:
                message = result.stderr.decode(errors="replace").strip()
                raise TemplateUnreachable(
                    f"cannot read commit {commit} of {self.location}: {message}"
                )
            with tarfile.open(archive) as tar:
                tar.extractall(target, filter="data")
            yield target


def git(directory: Path, *args: str) -> str | None:
    """git's stdout, stripped; None when git fails or is missing."""
    try:
        result = subprocess.run(
            ["git", "-C", str(directory), *args],
            capture_output=True,
            text=True,
            check=False,
            timeout=60,
            env={**os.environ, "GIT_TERMINAL_PROMPT": "0"},
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    return result.stdout.strip() if result.returncode == 0 else None


def locate(location: str) -> TemplateSource:
    """The template on this machine, or TemplateUnreachable saying how to provide it."""
    path = Path(location.removeprefix("file://")).expanduser()
    if not location.startswith(REMOTE_PREFIXES):
        if (path / "cookiecutter.json").is_file():
            return TemplateSource(location, path.resolve())
        raise TemplateUnreachable(
            f"template {location} is not a cookiecutter template directory here"
        )
    cached = cached_clone(location)
    if cached is not None:
        return TemplateSource(location, cached)
    raise TemplateUnreachable(
        f"template {location} cannot be reached offline; clone it and pass --template PATH"
    )


def cached_clone(url: str) -> Path | None:
    """Cookiecutter's clone of `url` in ~/.cookiecutters, when it exists and points at it."""
    name = url.rstrip("/").rsplit("/", 1)[-1].rsplit(":", 1)[-1].removesuffix(".git")
    candidate = Path("~/.cookiecutters").expanduser() / name
    if not (candidate / "cookiecutter.json").is_file():
        return None
    origin = git(candidate, "remote", "get-url", "origin") or ""
    wanted = url.removeprefix("gh:").removeprefix("git+").removesuffix(".git").rstrip("/")
    return candidate if origin.removesuffix(".git").rstrip("/").endswith(wanted) else None
