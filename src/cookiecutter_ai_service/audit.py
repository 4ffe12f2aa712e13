"""Audit one repository: its version record, drift from the template, and its controls."""

from __future__ import annotations

import datetime as dt
import tempfile
import traceback
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import drift, exit_codes, manifest, selection, waivers
from .checks import CHECKS, Check, Failure, Skip
from .findings import OWNED_DRIFT, RD001, VER001, VER002, VER003, VER004
from .provenance import InvalidRecord, Provenance, read_record
from .rendering import AnswersRefused, RenderFailed, render
from .repo import Repo
from .results import SEVERITY_RANK, RepoReport, Result, TemplateInfo
from .template_source import TemplateSource, TemplateUnreachable, git, locate

AGAINST = ("recorded", "HEAD", "worktree")
FAIL_ON = ("error", "warning", "never")


@dataclass
class Options:
    template: str | None = None  # overrides the recorded location
    against: str = "recorded"
    select: list[str] = field(default_factory=list)
    ignore: list[str] = field(default_factory=list)
    fail_on: str = "error"
    service_root: str | None = None  # relative to PATH; None: detected
    today: dt.date = field(default_factory=dt.date.today)


def audit(path: Path, options: Options) -> RepoReport:
    report = RepoReport(path=str(path), git_head=git(path, "rev-parse", "HEAD"))
    failures: list[int] = []
    repo = controls_view(path, options.service_root)
    report.repository_root = str(repo.root)
    report.service_root = repo.service or "."
    config = waivers.read(repo.pyproject, options.today)
    results: list[Result] = list(config.problems)

    try:
        record = read_record(path)
    except InvalidRecord as error:
        record = None
        results.append(VER002.result("error", str(error), path=".cruft.json"))
        report.errors.append(str(error))
        report.drift_note = "not compared: the version record is invalid"
        failures.append(exit_codes.INVALID_RECORD)
    else:
        if record is None:
            results.append(VER001.result("fail", no_record_message(repo), path=".cruft.json"))
            report.drift_note = "not compared: no version record (.cruft.json)"
        else:
            results.append(VER001.result("pass", f"generated from {record.template}"))
            report.answers = record.answers
            results.extend(
                compare_with_template(path, record, options, config.overrides, report, failures)
            )
            if not any(result.id == "VER002" for result in results):
                results.append(VER002.result("pass"))

    results.extend(run_checks(repo, record.answers if record else {}, report, failures))
    if repo.unreadable:
        unreadable = sorted(repo.unreadable)
        message = f"could not read {len(unreadable)} path(s): {', '.join(unreadable[:10])}"
        results.append(RD001.result("error", message, path=unreadable[0]))
        report.errors.append(message)
        failures.append(exit_codes.INTERNAL_ERROR)
    results = [r for r in results if selection.allowed(r, options.select, options.ignore)]
    report.results = waivers.apply(results, config.waivers)
    report.exit_code = exit_code(report.results, options.fail_on, failures)
    return report


def controls_view(path: Path, service_root: str | None) -> Repo:
    """The repository the checks read: rooted at the git top-level (CI, ignore rules), with the
    service root given, implied by a PATH below the top-level, or detected."""
    top_text = git(path, "rev-parse", "--show-toplevel")
    top = Path(top_text).resolve() if top_text else path.resolve()
    inside = path.resolve().relative_to(top).as_posix() if path.resolve() != top else ""
    if service_root is not None:
        given = (path.resolve() / service_root).resolve()
        return Repo(top, given.relative_to(top).as_posix().strip(".") or "")
    return Repo(top, inside) if inside else Repo(top)


def no_record_message(repo: Repo) -> str:
    generated_layout = repo.glob("src/*/core/settings.py") and repo.glob("src/*/health/router.py")
    if generated_layout:
        return (
            "no .cruft.json, but the layout is the template's: the record was probably "
            "deleted; drift cannot be compared"
        )
    return "no .cruft.json: not generated from the template (or the record was deleted)"


def compare_with_template(
    path: Path,
    record: Provenance,
    options: Options,
    overrides: list[Any],
    report: RepoReport,
    failures: list[int],
) -> list[Result]:
    results: list[Result] = []
    info = TemplateInfo(
        url=options.template or record.template,
        recorded_commit=record.commit,
        recorded_version=record.template_version,
    )
    report.template = info
    try:
        source = locate(info.url or "")
        info.latest_commit = source.head()
        info.latest_version = (
            source.version_at(info.latest_commit) if source.is_git else source.version_at(None)
        )
        results.extend(behind(source, record, info))
        commit = target_commit(source, record, options.against, results)
        info.rendered = commit or "working tree"
        with (
            source.checkout(commit) as template_dir,
            tempfile.TemporaryDirectory(prefix="aisvc-render-") as scratch,
        ):
            roles = manifest.load(template_dir).with_overrides(overrides)
            project = render(template_dir, record.answers, Path(scratch), info.url or "")
            found, report.drift = drift.compare(project, path, roles, options.against)
            results.extend(found)
    except TemplateUnreachable as error:
        report.errors.append(str(error))
        report.drift_note = f"not compared: {error}"
        failures.append(exit_codes.TEMPLATE_UNREACHABLE)
    except AnswersRefused as error:
        report.errors.append(str(error))
        report.drift_note = f"not compared: {error}"
        results.append(VER002.result("error", str(error), path=".cruft.json"))
        failures.append(exit_codes.INVALID_RECORD)
    except (RenderFailed, manifest.InvalidManifest) as error:
        report.errors.append(str(error))
        report.drift_note = f"not compared: {error}"
        failures.append(exit_codes.INTERNAL_ERROR)
    return results


def behind(source: TemplateSource, record: Provenance, info: TemplateInfo) -> list[Result]:
    if not source.is_git or not record.commit or not info.latest_commit:
        return []
    if not source.has_commit(record.commit):
        raise TemplateUnreachable(
            f"commit {record.commit} is not in the template at {source.directory}"
        )
    recorded = source.resolve(record.commit)
    if recorded == info.latest_commit:
        return [VER003.result("pass", f"at the template's HEAD {info.latest_commit[:12]}")]
    count = source.commits_between(record.commit, info.latest_commit)
    versions = f"{record.template_version} -> {info.latest_version}"
    newer_release = (record.template_version or "") != (info.latest_version or "")
    return [
        VER003.result(
            "fail",
            f"{count if count is not None else 'some'} template commit{'' if count == 1 else 's'} "
            f"behind HEAD "
            f"{info.latest_commit[:12]} (template version {versions})",
            path=".cruft.json",
            # Unreleased commits are worth knowing, a new release is worth acting on.
            severity="warning" if newer_release else "info",
        )
    ]


def target_commit(
    source: TemplateSource, record: Provenance, against: str, results: list[Result]
) -> str | None:
    """The commit to render; None renders the template directory as it is on disk."""
    if against == "worktree" or not source.is_git:
        return None
    if against == "HEAD":
        return source.head()
    if record.commit is None:
        results.append(
            VER004.result(
                "fail",
                "no commit recorded: compared with the template's HEAD instead",
                path=".cruft.json",
            )
        )
        return source.head()
    return record.commit


def run_checks(
    repo: Repo, answers: dict[str, Any], report: RepoReport, failures: list[int]
) -> list[Result]:
    results: dict[str, Result] = {}
    for check in CHECKS:
        result = run_one(check, repo, answers, results)
        if result.status == "error":
            report.errors.append(f"{result.id} crashed: {result.message}")
            failures.append(exit_codes.INTERNAL_ERROR)
        results[check.__name__] = result
    return list(results.values())


def run_one(
    check: type[Check], repo: Repo, answers: dict[str, Any], done: dict[str, Result]
) -> Result:
    instance = check()
    base = Result(
        id=check.__name__,
        kind="control",
        family=check.family,
        severity=check.severity,
        status="skip",
        title=check.description(),
        docs_url=instance.url,
    )
    reason = check.not_applicable_reason(answers)
    if reason:
        return base.replace(message=reason)
    unmet = [
        done[name]
        for name in sorted(check.requires)
        if name in done and done[name].status != "pass"
    ]
    if unmet:
        reasons = "; ".join(
            f"{r.id} {'did not pass' if r.status != 'skip' else 'was skipped'}: "
            f"{r.message or r.status}"
            for r in unmet
        )
        return base.replace(message=f"skipped: it builds on {reasons}")
    try:
        outcome = check.run(repo)
    except Exception as error:  # a crashing check is reported, not fatal for the others
        trace = traceback.format_exception_only(error)[-1].strip()
        return base.replace(status="error", message=trace, remediation="Report this as a bug.")
    if isinstance(outcome, Skip):
        return base.replace(message=str(outcome))
    if outcome is None:
        return base.replace(message="nothing to check here")
    if outcome is True or outcome == "":
        return base.replace(status="pass")
    failure = outcome if isinstance(outcome, Failure) else None
    return base.replace(
        status="fail",
        message=failure.detail if failure else (str(outcome) if outcome else check.remediation()),
        remediation=check.remediation(),
        path=(failure.path if failure else None) or check.location or None,
        line=failure.line if failure else None,
    )


def exit_code(results: list[Result], fail_on: str, failures: list[int]) -> int:
    if failures:
        return exit_codes.combine(failures)
    if fail_on == "never":
        return exit_codes.CLEAN
    threshold = SEVERITY_RANK[fail_on]
    code = exit_codes.CLEAN
    for result in results:
        if result.status != "fail" or SEVERITY_RANK[result.severity] < threshold:
            continue
        code |= exit_codes.OWNED_DRIFT if result.id in OWNED_DRIFT else exit_codes.CONTROL_FAILURES
    return code
