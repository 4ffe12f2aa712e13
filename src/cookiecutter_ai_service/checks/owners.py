"""Owners: every task and model alias names one, and CODEOWNERS routes their files to them."""

from __future__ import annotations

import ast
import fnmatch

from ..repo import Repo
from .base import Check, Outcome, Skip

MODELS_FILE = "config/models.toml"
CODEOWNERS = ("CODEOWNERS", ".github/CODEOWNERS", "docs/CODEOWNERS", ".gitlab/CODEOWNERS")


def task_owners(repo: Repo) -> dict[str, str | None]:
    """Task module -> the `owner=` of its `TASK = Task(...)`, None when it names none."""
    found: dict[str, str | None] = {}
    for path in repo.glob("src/*/tasks/catalog/*.py"):
        try:
            tree = ast.parse(repo.text(path) or "")
        except SyntaxError:
            continue
        for node in tree.body:
            if isinstance(node, ast.Assign) and isinstance(node.value, ast.Call):
                if any(isinstance(t, ast.Name) and t.id == "TASK" for t in node.targets):
                    owner = next((k.value for k in node.value.keywords if k.arg == "owner"), None)
                    named = owner.value if isinstance(owner, ast.Constant) else None
                    found[path] = named if isinstance(named, str) else None
    return found


def rule_matches(pattern: str, path: str) -> bool:
    """CODEOWNERS' gitignore-like patterns, the common forms: anchored, directories, names."""
    body = pattern.lstrip("/")
    if body.endswith("/"):  # A directory: everything under it.
        return path.startswith(body) if pattern.startswith("/") else f"/{body}" in f"/{path}"
    if pattern.startswith("/") or "/" in body:
        return fnmatch.fnmatchcase(path, body)
    return fnmatch.fnmatchcase(path.rsplit("/", 1)[-1], body)


def owners_of(rules: list[tuple[str, set[str]]], path: str) -> set[str]:
    """The owners of `path`: the last rule that matches it wins, on GitHub and GitLab alike."""
    matched: set[str] = set()
    for pattern, owners in rules:
        if rule_matches(pattern, path):
            matched = owners
    return matched


class OWN001(Check):
    """Every task and model alias names an owner, and CODEOWNERS agrees"""

    family = "model"
    introduced = "0.3.0"
    location = "CODEOWNERS"

    @classmethod
    def check(cls, ai_service_repo: Repo) -> Outcome:
        """Set `owner=` on each `Task` and `owner =` on each `[aliases.<name>]` of
        config/models.toml, then run `make codeowners` so CODEOWNERS sends their files to them."""
        repo = ai_service_repo
        tasks = task_owners(repo)
        aliases = (repo.toml(MODELS_FILE) or {}).get("aliases", {})
        if not tasks and not aliases:
            return Skip("nothing to check: no task catalog (src/*/tasks/catalog/) and no aliases")
        missing = [f"task {p}" for p, owner in sorted(tasks.items()) if not owner]
        missing += [f"alias {n}" for n, a in sorted(aliases.items()) if not a.get("owner")]
        if missing:
            return cls.fail(f"No owner: {', '.join(missing)}.", path=MODELS_FILE)
        location = next((path for path in CODEOWNERS if repo.exists(path)), None)
        if location is None:
            return cls.fail("No CODEOWNERS file (root, .github/, docs/ or .gitlab/).")
        rules = [
            (parts[0], set(parts[1:]))
            for line in (repo.text(location) or "").splitlines()
            if (parts := line.split()) and not parts[0].startswith("#")
        ]
        expected = {path: {owner} for path, owner in tasks.items() if owner}
        if aliases:
            expected[MODELS_FILE] = {a["owner"] for a in aliases.values()}
        wrong = [
            path for path, owners in sorted(expected.items()) if owners_of(rules, path) != owners
        ]
        if wrong:
            return cls.fail(
                f"CODEOWNERS disagrees with the owners of {', '.join(wrong)}.", path=location
            )
        return True
