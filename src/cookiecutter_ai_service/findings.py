"""The audit's own findings besides the checks: provenance, drift and waivers.

Each has an id, a family, a severity and a fix, like a check, and a section in docs/audit.md.
"""

from __future__ import annotations

from dataclasses import dataclass

from .checks.base import DOCS_URL
from .results import Kind, Result, Severity, Status


@dataclass(frozen=True)
class Finding:
    id: str
    kind: Kind
    family: str
    severity: Severity
    title: str
    remediation: str

    @property
    def docs_url(self) -> str:
        return f"{DOCS_URL}#{self.id.lower()}"

    def result(
        self,
        status: Status,
        message: str = "",
        *,
        path: str | None = None,
        severity: Severity | None = None,
        **extra: object,
    ) -> Result:
        return Result(
            id=self.id,
            kind=self.kind,
            family=self.family,
            severity=severity or self.severity,
            status=status,
            title=self.title,
            message=message,
            remediation=self.remediation if status in ("fail", "error") else "",
            path=path,
            docs_url=self.docs_url,
            **extra,  # type: ignore[arg-type]
        )


VER001 = Finding(
    "VER001",
    "provenance",
    "provenance",
    "warning",
    "The repository records its template (.cruft.json)",
    "Generate projects with the template (it writes .cruft.json), or link an existing one with "
    "`cruft link <template-url>`, and commit .cruft.json. Without it drift cannot be compared.",
)
VER002 = Finding(
    "VER002",
    "provenance",
    "provenance",
    "error",
    "The version record is valid",
    "Restore .cruft.json from git history (`git log -p -- .cruft.json`), or re-link the project "
    "with `cruft link`. It needs `template`, `commit` and `context.cookiecutter`.",
)
VER003 = Finding(
    "VER003",
    "provenance",
    "provenance",
    "warning",
    "The recorded template version is current",
    "Take in the template's changes: `AI_SERVICE_TEMPLATE_SKIP_LOCK=1 cruft update` on a branch, "
    "then `uv lock`, `make check` (docs/updating.md).",
)
VER004 = Finding(
    "VER004",
    "provenance",
    "provenance",
    "warning",
    "The version record names the template's commit",
    "Generate from a git checkout of the template (or a git URL) so the commit is recorded; "
    "`cruft link` can add it to an existing project.",
)
DRF001 = Finding(
    "DRF001",
    "drift",
    "drift",
    "error",
    "No owned file is deleted",
    "Restore the file from a fresh render (`cruft diff` shows it) or from git history. If the "
    "repository really does without it, override its role with a reason (docs/audit.md#overrides).",
)
DRF002 = Finding(
    "DRF002",
    "drift",
    "drift",
    "error",
    "Owned files match the template",
    "Move the change into the template (so every service gets it) or into a module of your own, "
    "and restore the owned file. If it must stay, override the role with a reason.",
)
DRF003 = Finding(
    "DRF003",
    "drift",
    "drift",
    "warning",
    "Structured files keep every entry the template put there",
    "Add the missing entries back (a job, a hook, a dependency, a Makefile target); version pins "
    "and values may differ. Or override the role with a reason.",
)
DRF004 = Finding(
    "DRF004",
    "drift",
    "drift",
    "warning",
    "No seeded file is deleted",
    "Restore the file (it was generated to be edited, not deleted), or override its role to "
    "`ignored` with a reason.",
)
WVR001 = Finding(
    "WVR001",
    "waiver",
    "waivers",
    "error",
    "No waiver has expired",
    "Fix what the waiver covered, or renew it with a new `expires` date and a reason that "
    "still holds (the owner decides).",
)
WVR002 = Finding(
    "WVR002",
    "waiver",
    "waivers",
    "error",
    "Waivers and overrides are complete",
    "Give each waiver `id`, `reason`, `owner` and `expires` (a date), and each role override "
    "`paths`, `role` and `reason` (docs/audit.md#waivers).",
)
RD001 = Finding(
    "RD001",
    "control",
    "audit",
    "error",
    "Every file of the repository could be read",
    "Run the audit as a user who can read the whole checkout (check permissions and dangling "
    "mounts); a control cannot be judged on a file the audit could not open.",
)
FINDINGS = (
    VER001,
    VER002,
    VER003,
    VER004,
    DRF001,
    DRF002,
    DRF003,
    DRF004,
    WVR001,
    WVR002,
    RD001,
)
OWNED_DRIFT = frozenset({"DRF001", "DRF002"})
