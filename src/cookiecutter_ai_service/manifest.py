"""Which role each generated file plays in the drift comparison (audit-manifest.toml)."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any, Literal, cast

from .globs import matches

Role = Literal["owned", "structured", "seeded", "ignored"]
ROLES: tuple[Role, ...] = ("owned", "structured", "seeded", "ignored")
MANIFEST = "audit-manifest.toml"


class InvalidManifest(Exception):
    pass


@dataclass(frozen=True)
class Rule:
    paths: tuple[str, ...]
    role: Role
    why: str = ""
    source: str = "template"  # or "repository": an override with its reason


@dataclass(frozen=True)
class Manifest:
    rules: tuple[Rule, ...]
    default: Role = "seeded"
    source: str = ""

    def rule_for(self, path: str) -> Rule | None:
        return next((r for r in self.rules if any(matches(p, path) for p in r.paths)), None)

    def role_of(self, path: str) -> Role:
        rule = self.rule_for(path)
        return rule.role if rule else self.default

    def with_overrides(self, overrides: list[Rule]) -> Manifest:
        """The repository's overrides come first, so they win."""
        return Manifest((*overrides, *self.rules), self.default, self.source)


def parse(text: str, source: str) -> Manifest:
    try:
        data: dict[str, Any] = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise InvalidManifest(f"{source}: {error}") from error
    rules = []
    for index, entry in enumerate(data.get("rules", [])):
        role, paths = entry.get("role"), entry.get("paths")
        if role not in ROLES or not isinstance(paths, list) or not paths:
            raise InvalidManifest(f"{source}: rule {index + 1} needs a role and paths")
        rules.append(Rule(tuple(map(str, paths)), cast(Role, role), str(entry.get("why", ""))))
    default = data.get("default", "seeded")
    if default not in ROLES:
        raise InvalidManifest(f"{source}: default role {default!r} is not one of {ROLES}")
    return Manifest(tuple(rules), cast(Role, default), source)


def load(template_dir: Path | None) -> Manifest:
    """The manifest of the rendered template version, else the one this tool ships."""
    if template_dir is not None and (template_dir / MANIFEST).is_file():
        return parse((template_dir / MANIFEST).read_text(encoding="utf-8"), str(MANIFEST))
    return packaged()


def packaged() -> Manifest:
    shipped = resources.files("cookiecutter_ai_service").joinpath(MANIFEST)
    if shipped.is_file():
        return parse(shipped.read_text(encoding="utf-8"), f"packaged {MANIFEST}")
    # An editable install or a source checkout: the manifest is at the repository's root.
    checkout = Path(__file__).resolve().parents[2] / MANIFEST
    return parse(checkout.read_text(encoding="utf-8"), f"packaged {MANIFEST}")
