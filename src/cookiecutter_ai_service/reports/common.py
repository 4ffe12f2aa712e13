"""What every format shows the same way: ordering, counts and the summary row of a repo."""

from __future__ import annotations

from ..results import SEVERITY_RANK, STATUS_ORDER, RepoReport, Result

EXIT_MEANINGS = {
    0: "clean",
    1: "control failures",
    2: "owned files drifted",
    3: "control failures and owned drift",
    64: "bad usage",
    65: "invalid version record",
    69: "template unreachable",
    70: "internal error",
}


def ordered(results: list[Result]) -> list[Result]:
    """Loudest first: errors, then failures by severity (deleted owned files lead), the rest."""
    return sorted(
        results,
        key=lambda r: (STATUS_ORDER[r.status], -SEVERITY_RANK[r.severity], r.id != "DRF001", r.id),
    )


def failures(report: RepoReport) -> list[Result]:
    return [r for r in ordered(report.results) if r.status in ("fail", "error")]


def waived(report: RepoReport) -> list[Result]:
    return [r for r in report.results if r.status == "waived"]


def summary_row(report: RepoReport) -> dict[str, str]:
    counts = report.counts()
    failed = [r for r in report.results if r.status == "fail"]
    owned = sum(r.id in ("DRF001", "DRF002") for r in failed)
    template = report.template
    version = "-"
    if template is not None:
        version = f"{template.recorded_version or '?'} (latest {template.latest_version or '?'})"
    return {
        "repository": report.path,
        "exit": f"{report.exit_code} ({EXIT_MEANINGS.get(report.exit_code, '?')})",
        "errors": str(sum(r.severity == "error" for r in failed) + counts["error"]),
        "warnings": str(sum(r.severity == "warning" for r in failed)),
        "owned drift": str(owned) if report.drift else "not compared",
        "waived": str(counts["waived"]),
        "template version": version,
    }


def location(result: Result) -> str:
    if not result.path:
        return ""
    return f"{result.path}:{result.line}" if result.line else result.path
