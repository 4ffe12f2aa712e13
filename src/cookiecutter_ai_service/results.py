"""What an audit produces: results (one per check, or per drifted file) and a report per repo."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Literal

Status = Literal["pass", "fail", "skip", "waived", "error"]
Severity = Literal["error", "warning", "info"]
Kind = Literal["control", "drift", "provenance", "waiver"]

SEVERITY_RANK: dict[str, int] = {"info": 0, "warning": 1, "error": 2}
STATUS_ORDER: dict[str, int] = {"error": 0, "fail": 1, "waived": 2, "skip": 3, "pass": 4}


@dataclass(frozen=True)
class Waiver:
    id: str
    reason: str
    owner: str
    expires: str  # ISO date
    path: str | None = None


@dataclass(frozen=True)
class Result:
    id: str
    kind: Kind
    family: str
    severity: Severity
    status: Status
    title: str  # the check's one-line description
    message: str = ""  # what was found (empty for a pass)
    remediation: str = ""  # how to fix it
    path: str | None = None
    line: int | None = None
    docs_url: str = ""
    waiver: Waiver | None = None
    diff: str | None = None  # owned file modified: a unified diff (text and Markdown only)
    changed_lines: int | None = None  # owned file modified: lines added plus removed

    def replace(self, **changes: object) -> Result:
        return dataclasses.replace(self, **changes)  # type: ignore[arg-type]


@dataclass
class TemplateInfo:
    url: str | None = None  # where the template lives, as recorded (or given with --template)
    recorded_commit: str | None = None
    latest_commit: str | None = None  # the template's HEAD, when it can be read
    rendered: str | None = None  # what drift was compared with: a commit, or "working tree"
    recorded_version: str | None = None
    latest_version: str | None = None


@dataclass
class DriftSummary:
    against: str  # recorded | HEAD | worktree
    files: int = 0
    roles: dict[str, int] = field(default_factory=dict)


@dataclass
class RepoReport:
    path: str
    git_head: str | None = None
    repository_root: str = ""  # where CI and ignore rules are read
    service_root: str = "."  # the service's folder, relative to the repository root
    template: TemplateInfo | None = None  # None: no usable version record
    drift: DriftSummary | None = None  # None: drift was not compared
    drift_note: str = ""  # why drift was not compared
    answers: dict[str, object] = field(default_factory=dict)
    results: list[Result] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)  # what could not be read, and why
    exit_code: int = 0

    def counts(self) -> dict[str, int]:
        counts = dict.fromkeys(("pass", "fail", "skip", "waived", "error"), 0)
        for result in self.results:
            counts[result.status] += 1
        return counts

    @property
    def name(self) -> str:
        return self.path.rstrip("/").rsplit("/", 1)[-1] or self.path
