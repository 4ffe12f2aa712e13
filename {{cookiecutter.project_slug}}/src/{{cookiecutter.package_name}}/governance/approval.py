"""Eval-approved model configs: a models file may serve production only once a passing eval
run approved its SHA-256.

`models approve` records the approval in `config/approved-models.toml` (reviewed and versioned
with the code, shipped in the image with config/): the current models file's hash with the
blessed runs that measured exactly that file and passed their gates. Start-up in production
refuses a hash that is not there unless `APP_MODELS_UNAPPROVED_REASON` says why; other
environments warn. Recordings are keyed without the deployment, so a switched model keeps
replay green: tying approval to the hash makes a model switch need a fresh, blessed run.
"""

from __future__ import annotations

import json
import tomllib
from dataclasses import dataclass
from pathlib import Path

from ..evals.results import SuiteResults

APPROVALS_FILE = Path("config/approved-models.toml")
HEADER = (
    "# Models files (by SHA-256) that passing eval runs approved: written by `python -m\n"
    "# <package> models approve`, reviewed like code. Production refuses any other hash unless\n"
    "# APP_MODELS_UNAPPROVED_REASON says why (docs/governance.md).\n"
)


class NotApprovedError(Exception):
    """The models file may not be approved, or is not approved; the message says what to do."""


@dataclass(frozen=True)
class Approval:
    sha256: str
    version: str
    runs: tuple[str, ...]  # "<suite>:<run id>"


def load_approvals(path: Path = APPROVALS_FILE) -> list[Approval]:
    if not path.exists():
        return []
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    return [
        Approval(sha256=str(a["sha256"]), version=str(a["version"]), runs=tuple(a["runs"]))
        for a in data.get("approved", [])
    ]


def approval_of(sha256: str, path: Path = APPROVALS_FILE) -> Approval | None:
    return next((a for a in load_approvals(path) if a.sha256 == sha256), None)


def approving_runs(baselines: dict[str, SuiteResults | None], sha256: str) -> list[str]:
    """`suite:run` of every baseline, when each measured this models file and passed; else the
    reason it cannot approve it."""
    problems, runs = [], []
    for suite, run in sorted(baselines.items()):
        if run is None:
            problems.append(f"suite {suite} has no blessed baseline")
        elif run.models.sha256 != sha256:
            problems.append(f"suite {suite}'s baseline measured another models file")
        elif not run.gate_passed:
            problems.append(f"suite {suite}'s baseline did not pass its gates")
        else:
            runs.append(f"{suite}:{run.run_id}")
    if problems or not runs:
        reasons = "; ".join(problems) or "no eval suite"
        msg = f"not approved: {reasons}. Run `make eval`, `make eval-bless`, then approve again"
        raise NotApprovedError(msg)
    return runs


def record_approval(approval: Approval, path: Path = APPROVALS_FILE) -> bool:
    """Append `approval`; False when that hash was already approved (the file is unchanged)."""
    if approval_of(approval.sha256, path) is not None:
        return False
    text = path.read_text(encoding="utf-8") if path.exists() else HEADER
    # JSON strings are valid TOML basic strings: a quote in a version cannot break the file.
    runs = ", ".join(json.dumps(run) for run in approval.runs)
    text += (
        f"\n[[approved]]\nsha256 = {json.dumps(approval.sha256)}\n"
        f"version = {json.dumps(approval.version)}\nruns = [{runs}]\n"
    )
    path.write_text(text, encoding="utf-8")
    return True
