"""`owners`, `retention`, `readiness` and `model-card`: governance on the command line."""

from __future__ import annotations

import argparse
import asyncio
import sys
from pathlib import Path

from ..core.settings import Settings
from ..evals.layout import EvalConfigError
from ..llm.config import ModelConfigError
from .approval import Approval, NotApprovedError, approving_runs, load_approvals, record_approval
from .model_card import MODEL_CARD_FILE, model_card_text
from .nfr import NfrError
from .owners import CODEOWNERS_FILE, codeowners_problem, codeowners_text, ownership_problems
from .project import ProjectFacts, load_project
from .readiness import Evidence, Status, readiness_findings
from .readiness_report import verdict, write_reports
from .retention import apply_retention

GOVERNANCE_COMMANDS = {
    "owners": "check that every task and alias has an owner and CODEOWNERS agrees, or write it",
    "retention": "delete inference records older than nfr.toml's retention",
    "readiness": "join the evidence against nfr.toml; exit 1 naming each violated NFR",
    "model-card": "write docs/model-card.md, or --check that it is up to date",
    "models": "status: the serving models file and its approval; approve: record that the "
    "blessed eval runs approve it",
}


def add_governance_arguments(name: str, parser: argparse.ArgumentParser) -> None:
    if name == "owners":
        parser.add_argument("action", choices=["check", "write"])
    elif name == "retention":
        parser.add_argument("action", choices=["apply"])
        parser.add_argument("--dry-run", action="store_true", help="count, delete nothing")
    elif name == "readiness":
        parser.add_argument("--out", type=Path, default=Path("var/readiness"))
        parser.add_argument("--evals", type=Path, default=Path("var/evals"))
        parser.add_argument("--latency", type=Path, default=Path("var/bench/latency.json"))
        parser.add_argument("--audit", type=Path, help="the audit's JSON report, if you have one")
    elif name == "models":
        parser.add_argument("action", choices=["status", "approve"])
    elif name == "model-card":
        parser.add_argument("--check", action="store_true", help="fail when the card is stale")


def owners_codeowners(facts: ProjectFacts) -> str:
    return codeowners_text(
        facts.owners(), facts.models.config, facts.nfr.service.owner, facts.package, facts.layout
    )


def owners(facts: ProjectFacts, args: argparse.Namespace) -> int:
    expected = owners_codeowners(facts)
    if args.action == "write":
        CODEOWNERS_FILE.write_text(expected, encoding="utf-8")
        print(f"wrote {CODEOWNERS_FILE}")
    problems = ownership_problems(facts.owners(), facts.models.config)
    stale = codeowners_problem(CODEOWNERS_FILE, expected)
    problems += [stale] if stale else []
    for problem in problems:
        print(f"Owners: {problem}", file=sys.stderr)
    return 1 if problems else 0


def retention(facts: ProjectFacts, args: argparse.Namespace, settings: Settings) -> int:
    results = asyncio.run(apply_retention(settings, facts.nfr.retention, dry_run=args.dry_run))
    verb = "would delete" if args.dry_run else "deleted"
    for result in results:
        cutoff = f"{result.cutoff:%Y-%m-%d %H:%M} UTC"
        print(f"{result.table}: {verb} {result.deleted} row(s) older than {cutoff}")
    print("audit_events: kept (not pruned by this command; see docs/governance.md)")
    return 0


def readiness(facts: ProjectFacts, args: argparse.Namespace) -> int:
    evidence = Evidence(evals_dir=args.evals, latency_file=args.latency, audit_file=args.audit)
    findings = readiness_findings(facts, evidence)
    md, page = write_reports(findings, args.out)
    print(f"{verdict(findings)}\nwrote {md} and {page}")
    for finding in findings:
        if finding.status is Status.VIOLATED:
            print(
                f"violated: {finding.nfr} {finding.requirement}: {finding.evidence}",
                file=sys.stderr,
            )
    return 1 if any(f.status is Status.VIOLATED for f in findings) else 0


def model_card(facts: ProjectFacts, args: argparse.Namespace) -> int:
    text = model_card_text(facts)
    if args.check:
        current = MODEL_CARD_FILE.read_text(encoding="utf-8") if MODEL_CARD_FILE.exists() else ""
        if current != text:
            print(
                f"{MODEL_CARD_FILE} is stale: run `make model-card` and commit it", file=sys.stderr
            )
            return 1
        print(f"{MODEL_CARD_FILE} is up to date")
        return 0
    MODEL_CARD_FILE.parent.mkdir(parents=True, exist_ok=True)
    MODEL_CARD_FILE.write_text(text, encoding="utf-8")
    print(f"wrote {MODEL_CARD_FILE}")
    return 0


def models(facts: ProjectFacts, args: argparse.Namespace, settings: Settings) -> int:
    loaded = facts.models
    baselines = {suite: facts.baseline(suite) for task in facts.tasks for suite in task.suites}
    if args.action == "approve":
        try:
            runs = approving_runs(baselines, loaded.sha256)
        except NotApprovedError as error:
            print(f"{loaded.path}: {error}", file=sys.stderr)
            return 1
        approval = Approval(sha256=loaded.sha256, version=loaded.config.version, runs=tuple(runs))
        added = record_approval(approval, settings.approvals_file)
        state = "approved" if added else "already approved"
        print(f"{loaded.path} {state} in {settings.approvals_file} by {', '.join(runs)}")
        return 0
    history = load_approvals(settings.approvals_file)
    current = next((a for a in history if a.sha256 == loaded.sha256), None)
    print(f"models file: {loaded.path} version {loaded.config.version} sha256 {loaded.sha256}")
    print(f"approved by: {', '.join(current.runs) if current else 'NO eval run'}")
    print(f"history ({settings.approvals_file}, newest last):")
    for approval in history:
        print(f"  {approval.sha256[:12]} version {approval.version}: {', '.join(approval.runs)}")
    return 0 if current else 1


def governance_command(settings: Settings, args: argparse.Namespace) -> int:
    try:
        facts = load_project(settings)
    except (NfrError, ModelConfigError, EvalConfigError) as error:
        print(f"Configuration error: {error}", file=sys.stderr)
        return 2
    if args.command == "owners":
        return owners(facts, args)
    if args.command == "retention":
        return retention(facts, args, settings)
    if args.command == "readiness":
        return readiness(facts, args)
    if args.command == "models":
        return models(facts, args, settings)
    return model_card(facts, args)
