"""The audited repository's own audit settings: waivers and role overrides, in pyproject.toml.

[[tool.cookiecutter-ai-service.audit.waivers]]
id = "DKR004"                      # a check or finding id
path = "Dockerfile"                # optional: only results at this path (glob)
reason = "Base image pinned by digest in the release pipeline"
owner = "platform-team"
expires = 2026-06-30               # a TOML date; after it the waiver is a failure

[[tool.cookiecutter-ai-service.audit.overrides]]
paths = ["src/*/core/settings.py"]
role = "seeded"
reason = "We add settings for the billing client (ADR-12)"
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, cast

from .findings import WVR001, WVR002
from .globs import matches
from .manifest import ROLES, Role, Rule
from .results import Result, Waiver

SECTION = ("tool", "cookiecutter-ai-service", "audit")
WHERE = "pyproject.toml"


@dataclass
class AuditConfig:
    waivers: list[Waiver] = field(default_factory=list)
    overrides: list[Rule] = field(default_factory=list)
    problems: list[Result] = field(default_factory=list)
    present: bool = False


def read(pyproject: dict[str, Any], today: dt.date) -> AuditConfig:
    node: Any = pyproject
    for key in SECTION:
        node = node.get(key, {}) if isinstance(node, dict) else {}
    config = AuditConfig(present=bool(node))
    if not isinstance(node, dict):
        return config
    for index, entry in enumerate(node.get("waivers", []), start=1):
        waiver, problem = parse_waiver(entry, index)
        if problem:
            config.problems.append(WVR002.result("fail", problem, path=WHERE))
        elif waiver is not None:
            if dt.date.fromisoformat(waiver.expires) < today:
                config.problems.append(
                    WVR001.result(
                        "fail",
                        f"the waiver of {waiver.id} expired on {waiver.expires} "
                        f"(owner {waiver.owner}: {waiver.reason})",
                        path=WHERE,
                        waiver=waiver,
                    )
                )
            else:
                config.waivers.append(waiver)
    for index, entry in enumerate(node.get("overrides", []), start=1):
        rule, problem = parse_override(entry, index)
        if problem:
            config.problems.append(WVR002.result("fail", problem, path=WHERE))
        elif rule is not None:
            config.overrides.append(rule)
    for finding in (WVR001, WVR002):
        if config.present and not any(p.id == finding.id for p in config.problems):
            config.problems.append(finding.result("pass"))
    return config


def parse_waiver(entry: Any, index: int) -> tuple[Waiver | None, str]:
    if not isinstance(entry, dict):
        return None, f"waiver {index} is not a table"
    missing = [key for key in ("id", "reason", "owner", "expires") if not entry.get(key)]
    if missing:
        return None, f"waiver {index} ({entry.get('id', '?')}) lacks {', '.join(missing)}"
    expires = entry["expires"]
    if isinstance(expires, dt.datetime):
        expires = expires.date()
    if isinstance(expires, str):
        try:
            expires = dt.date.fromisoformat(expires)
        except ValueError:
            return None, f"waiver {index} ({entry['id']}): expires {expires!r} is not a date"
    if not isinstance(expires, dt.date):
        return None, f"waiver {index} ({entry['id']}): expires is not a date"
    path = entry.get("path")
    return Waiver(
        str(entry["id"]),
        str(entry["reason"]),
        str(entry["owner"]),
        expires.isoformat(),
        str(path) if path else None,
    ), ""


def parse_override(entry: Any, index: int) -> tuple[Rule | None, str]:
    if not isinstance(entry, dict):
        return None, f"override {index} is not a table"
    paths = entry.get("paths", [entry["path"]] if "path" in entry else [])
    if isinstance(paths, str):
        paths = [paths]
    role, reason = entry.get("role"), str(entry.get("reason", "")).strip()
    if not paths or role not in ROLES or not reason:
        return None, f"override {index} needs paths, a role ({', '.join(ROLES)}) and a reason"
    return Rule(tuple(map(str, paths)), cast(Role, role), reason, "repository"), ""


def apply(results: list[Result], waivers: list[Waiver]) -> list[Result]:
    """Failures covered by a live waiver become `waived`, keeping their message."""
    applied = []
    for result in results:
        waiver = next((w for w in waivers if covers(w, result)), None)
        if waiver is not None and result.status == "fail":
            result = result.replace(status="waived", waiver=waiver)
        applied.append(result)
    return applied


def covers(waiver: Waiver, result: Result) -> bool:
    if waiver.id != result.id:
        return False
    return waiver.path is None or (result.path is not None and matches(waiver.path, result.path))
