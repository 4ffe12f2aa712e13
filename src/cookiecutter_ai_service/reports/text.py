"""Plain text for people: what failed first, with the fix; passes and skips in a line each."""

from __future__ import annotations

import itertools

from ..results import RepoReport, Result
from .common import EXIT_MEANINGS, failures, location, ordered, summary_row, waived

MAX_DIFF_LINES = 60


def render(reports: list[RepoReport], exit_code: int) -> str:
    blocks = [repo_block(report) for report in reports]
    if len(reports) > 1:
        blocks.append(summary_table(reports, exit_code))
    return "\n\n".join(blocks) + "\n"


def header(report: RepoReport) -> list[str]:
    lines = [f"== {report.name}  ({report.path})"]
    lines.append(f"   git HEAD   {report.git_head or 'not a git repository'}")
    lines.append(
        f"   roots      repository {report.repository_root}, service {report.service_root}"
    )
    template = report.template
    if template:
        lines.append(
            f"   template   {template.url}: recorded {short(template.recorded_commit)} "
            f"({template.recorded_version or '?'}), latest {short(template.latest_commit)} "
            f"({template.latest_version or '?'})"
        )
    if report.drift:
        roles = ", ".join(f"{n} {role}" for role, n in report.drift.roles.items())
        rendered = short(template.rendered) if template else "?"
        lines.append(
            f"   drift      against {report.drift.against} ({rendered}): "
            f"{report.drift.files} files ({roles})"
        )
    else:
        lines.append(f"   drift      {report.drift_note or 'not compared'}")
    return lines


def short(commit: str | None) -> str:
    if not commit:
        return "none"
    return commit[:12] if len(commit) == 40 else commit


def finding(result: Result) -> list[str]:
    where = location(result)
    label = "ERROR " if result.status == "error" else "FAIL  "
    lines = [
        f"{label}{result.id:<7}{result.severity:<8}{result.title}",
        f"      {where + ': ' if where else ''}{result.message}",
    ]
    if result.remediation:
        lines.append(f"      fix: {' '.join(result.remediation.split())}")
    lines.append(f"      docs: {result.docs_url}")
    if result.diff:
        diff = result.diff.splitlines()
        lines.extend(f"      {line}" for line in diff[:MAX_DIFF_LINES])
        if len(diff) > MAX_DIFF_LINES:
            lines.append(f"      ... {len(diff) - MAX_DIFF_LINES} more diff lines")
    return lines


def waived_line(result: Result) -> list[str]:
    waiver = result.waiver
    assert waiver is not None
    where = location(result)
    return [
        f"WAIVED {result.id:<7}{result.severity:<8}{result.title}",
        f"      {where + ': ' if where else ''}{result.message}",
        f"      waived until {waiver.expires} by {waiver.owner}: {waiver.reason}",
    ]


def repo_block(report: RepoReport) -> str:
    lines = header(report)
    for error in report.errors:
        lines.append(f"   could not run: {error.splitlines()[0] if error else error}")
    lines.append("")
    for result in failures(report):
        lines.extend(finding(result))
    for result in waived(report):
        lines.extend(waived_line(result))
    passed = [r for r in ordered(report.results) if r.status == "pass"]
    if passed:
        lines.append("pass   " + " ".join(r.id for r in sorted(passed, key=lambda r: r.id)))
    skipped = sorted((r for r in report.results if r.status == "skip"), key=lambda r: r.message)
    for reason, group in itertools.groupby(skipped, key=lambda r: r.message):
        lines.append(f"skip   {' '.join(r.id for r in group)}: {reason}")
    counts = report.counts()
    lines.append(
        f"result {counts['pass']} passed, {counts['fail']} failed, {counts['error']} errors, "
        f"{counts['skip']} skipped, {counts['waived']} waived -> exit {report.exit_code} "
        f"({EXIT_MEANINGS.get(report.exit_code, '?')})"
    )
    return "\n".join(lines)


def summary_table(reports: list[RepoReport], exit_code: int) -> str:
    rows = [summary_row(report) for report in reports]
    columns = list(rows[0])
    widths = {c: max(len(c), *(len(row[c]) for row in rows)) for c in columns}
    lines = ["== summary", "  ".join(c.ljust(widths[c]) for c in columns).rstrip()]
    lines.extend("  ".join(row[c].ljust(widths[c]) for c in columns).rstrip() for row in rows)
    lines.append(f"exit {exit_code} ({EXIT_MEANINGS.get(exit_code, '?')})")
    return "\n".join(lines)
