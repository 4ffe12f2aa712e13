"""Markdown for a CI job summary (`>> $GITHUB_STEP_SUMMARY`): tables, diffs folded away."""

from __future__ import annotations

from ..results import RepoReport, Result
from .common import EXIT_MEANINGS, failures, location, summary_row, waived


def cell(text: object) -> str:
    return " ".join(str(text).split()).replace("|", "\\|") or " "


def render(reports: list[RepoReport], exit_code: int) -> str:
    parts = ["# Template audit", ""]
    if len(reports) > 1:
        parts.extend(summary(reports, exit_code))
    for report in reports:
        parts.extend(repo_section(report))
    return "\n".join(parts).rstrip() + "\n"


def summary(reports: list[RepoReport], exit_code: int) -> list[str]:
    rows = [summary_row(report) for report in reports]
    columns = list(rows[0])
    lines = ["| " + " | ".join(columns) + " |", "|" + "---|" * len(columns)]
    lines.extend("| " + " | ".join(cell(row[c]) for c in columns) + " |" for row in rows)
    return [*lines, "", f"**Exit {exit_code}** ({EXIT_MEANINGS.get(exit_code, '?')})", ""]


def repo_section(report: RepoReport) -> list[str]:
    counts = report.counts()
    template = report.template
    lines = [f"## {cell(report.name)}", "", "| | |", "|---|---|"]
    lines.append(f"| Path | `{cell(report.path)}` |")
    lines.append(f"| git HEAD | `{report.git_head or 'not a git repository'}` |")
    lines.append(
        f"| Roots | repository `{cell(report.repository_root)}`, "
        f"service `{cell(report.service_root)}` |"
    )
    if template:
        lines.append(
            f"| Template | `{cell(template.url)}` recorded `{template.recorded_commit}` "
            f"({template.recorded_version}), latest `{template.latest_commit}` "
            f"({template.latest_version}) |"
        )
    if report.drift:
        roles = ", ".join(f"{n} {role}" for role, n in report.drift.roles.items())
        lines.append(
            f"| Drift | against {report.drift.against}: {report.drift.files} files ({roles}) |"
        )
    else:
        lines.append(f"| Drift | {cell(report.drift_note or 'not compared')} |")
    lines.append(
        f"| Result | **exit {report.exit_code}** ({EXIT_MEANINGS.get(report.exit_code, '?')}): "
        f"{counts['pass']} passed, {counts['fail']} failed, {counts['error']} errors, "
        f"{counts['skip']} skipped, {counts['waived']} waived |"
    )
    lines.append("")
    for error in report.errors:
        lines.append(f"> **Could not run:** {cell(error)}")
    failed = failures(report)
    if failed:
        lines += [
            "### Failures",
            "",
            "| Id | Severity | Where | Finding | Fix |",
            "|---|---|---|---|---|",
        ]
        lines.extend(failure_row(result) for result in failed)
        lines.append("")
    held = waived(report)
    if held:
        lines += [
            "### Waived",
            "",
            "| Id | Where | Finding | Reason | Owner | Expires |",
            "|---|---|---|---|---|---|",
        ]
        for result in held:
            waiver = result.waiver
            assert waiver is not None
            lines.append(
                f"| {result.id} | {cell(location(result))} | {cell(result.message)} | "
                f"{cell(waiver.reason)} | {cell(waiver.owner)} | {waiver.expires} |"
            )
        lines.append("")
    diffs = [result for result in failed if result.diff]
    if diffs:
        lines += ["### Owned files modified", ""]
        for result in diffs:
            lines += [
                f"<details><summary><code>{result.path}</code> ({result.message})</summary>",
                "",
                "```diff",
                result.diff.rstrip() if result.diff else "",
                "```",
                "",
                "</details>",
                "",
            ]
    rest = [r for r in report.results if r.status in ("pass", "skip")]
    if rest:
        lines += [
            "<details><summary>Passed and skipped</summary>",
            "",
            "| Id | Status | Check | Note |",
            "|---|---|---|---|",
        ]
        lines.extend(
            f"| [{r.id}]({r.docs_url}) | {r.status} | {cell(r.title)} | {cell(r.message)} |"
            for r in sorted(rest, key=lambda r: (r.status, r.id))
        )
        lines += ["", "</details>", ""]
    return lines


def failure_row(result: Result) -> str:
    label = f"[{result.id}]({result.docs_url})"
    status = " (could not run)" if result.status == "error" else ""
    return (
        f"| {label} | {result.severity}{status} | {cell(location(result))} | "
        f"{cell(result.title + ': ' + result.message)} | {cell(result.remediation)} |"
    )
