"""Readiness: the evidence joined against nfr.toml, one finding per requirement.

Evidence: the last eval run's results (`var/evals/<suite>/results.json`) for the pass-rate
floors and the cost ceilings; a latency file (`var/bench/latency.json`, `{"<task>":
{"p95_ms": 812.0}}`) for the latency budgets; the audit's JSON result when one is given; the
model card's freshness. What has no evidence says so and is never guessed.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from ..evals.results import SuiteResults, load_results
from .model_card import MODEL_CARD_FILE, model_card_text
from .project import ProjectFacts


class Status(StrEnum):
    MET = "met"
    VIOLATED = "violated"
    NO_EVIDENCE = "no evidence"


@dataclass(frozen=True)
class Finding:
    nfr: str  # The key in nfr.toml, or what is checked.
    requirement: str
    evidence: str
    status: Status
    limit: float | None = None
    actual: float | None = None


@dataclass(frozen=True)
class Evidence:
    evals_dir: Path = Path("var/evals")
    latency_file: Path = Path("var/bench/latency.json")
    audit_file: Path | None = None
    model_card: Path = MODEL_CARD_FILE


def judge(nfr: str, requirement: str, limit: float, actual: float, *, floor: bool) -> Finding:
    met = actual >= limit if floor else actual <= limit
    status = Status.MET if met else Status.VIOLATED
    return Finding(nfr, requirement, f"{actual:g}", status, limit, actual)


def last_results(evidence: Evidence, suite: str) -> SuiteResults | None:
    path = evidence.evals_dir / suite / "results.json"
    return load_results(path) if path.exists() else None


def eval_findings(facts: ProjectFacts, evidence: Evidence) -> list[Finding]:
    findings = []
    for task in facts.tasks:
        nfr = facts.nfr.tasks[task.name]
        floor_key, cost_key = (
            f"tasks.{task.name}.eval_pass_rate_floor",
            f"tasks.{task.name}.cost_per_call_usd",
        )
        runs = [run for suite in task.suites if (run := last_results(evidence, suite))]
        if not runs:
            # Quality is the one promise CI always measures: no run means not ready.
            why = "no eval run of this task's suites: run `make eval`"
            findings.append(
                Finding(floor_key, f">= {nfr.eval_pass_rate_floor:g}", why, Status.VIOLATED)
            )
            findings.append(
                Finding(cost_key, f"<= ${nfr.cost_per_call_usd:g}", why, Status.NO_EVIDENCE)
            )
            continue
        for run in runs:
            rate = run.aggregate.pass_rate
            if rate is None:
                why = f"suite {run.suite}: no case was measured"
                findings.append(
                    Finding(floor_key, f">= {nfr.eval_pass_rate_floor:g}", why, Status.VIOLATED)
                )
            else:
                findings.append(
                    judge(
                        floor_key,
                        f">= {nfr.eval_pass_rate_floor:g}",
                        nfr.eval_pass_rate_floor,
                        rate,
                        floor=True,
                    )
                )
            costs = [
                a.cost_usd for case in run.cases for a in case.attempts if a.cost_usd is not None
            ]
            if costs:
                findings.append(
                    judge(
                        cost_key,
                        f"<= ${nfr.cost_per_call_usd:g}",
                        nfr.cost_per_call_usd,
                        max(costs),
                        floor=False,
                    )
                )
            else:
                findings.append(
                    Finding(
                        cost_key,
                        f"<= ${nfr.cost_per_call_usd:g}",
                        "no cost recorded",
                        Status.NO_EVIDENCE,
                    )
                )
    return findings


def latency_findings(facts: ProjectFacts, evidence: Evidence) -> list[Finding]:
    measured: dict[str, dict[str, float]] = {}
    if evidence.latency_file.exists():
        measured = json.loads(evidence.latency_file.read_text(encoding="utf-8"))
    findings = []
    for task in facts.tasks:
        budget = facts.nfr.tasks[task.name].latency_p95_ms
        key = f"tasks.{task.name}.latency_p95_ms"
        p95 = measured.get(task.name, {}).get("p95_ms")
        if p95 is None:
            why = f"no evidence: {evidence.latency_file} has no p95 for this task"
            findings.append(Finding(key, f"<= {budget:g} ms", why, Status.NO_EVIDENCE))
        else:
            findings.append(judge(key, f"<= {budget:g} ms", budget, float(p95), floor=False))
    return findings


def audit_finding(evidence: Evidence) -> Finding:
    if evidence.audit_file is None or not evidence.audit_file.exists():
        return Finding(
            "audit", "no failed control", "no evidence: no audit result given", Status.NO_EVIDENCE
        )
    # The template's audit report: `cookiecutter-ai-service audit --format json`.
    document = json.loads(evidence.audit_file.read_text(encoding="utf-8"))
    failed = [
        str(result.get("id"))
        for report in document.get("reports", [])
        for result in report.get("results", [])
        if result.get("status") in {"fail", "error"}
    ]
    status = Status.VIOLATED if failed else Status.MET
    return Finding(
        "audit", "no failed control", ", ".join(failed) or "every control passed", status
    )


def model_card_finding(facts: ProjectFacts, evidence: Evidence) -> Finding:
    fresh = evidence.model_card.exists() and evidence.model_card.read_text(
        encoding="utf-8"
    ) == model_card_text(facts)
    why = "matches the config" if fresh else "stale or missing: run `make model-card`"
    return Finding("model card", "up to date", why, Status.MET if fresh else Status.VIOLATED)


def availability_finding(facts: ProjectFacts) -> Finding:
    target = facts.nfr.service.availability_target
    why = "no evidence: availability is measured in production, not by this report"
    return Finding("service.availability_target", f">= {target:g}", why, Status.NO_EVIDENCE)


def readiness_findings(facts: ProjectFacts, evidence: Evidence) -> list[Finding]:
    return [
        *eval_findings(facts, evidence),
        *latency_findings(facts, evidence),
        availability_finding(facts),
        audit_finding(evidence),
        model_card_finding(facts, evidence),
    ]
