"""JSON with a versioned schema (docs/audit.md#json-report): one document for all repositories."""

from __future__ import annotations

import dataclasses
import json
from typing import Any

from .. import __version__
from ..results import RepoReport, Result
from .common import summary_row

SCHEMA = "cookiecutter-ai-service/audit-report"
SCHEMA_VERSION = 1


def result_dict(result: Result) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": result.id,
        "kind": result.kind,
        "family": result.family,
        "severity": result.severity,
        "status": result.status,
        "title": result.title,
        "message": result.message,
        "path": result.path,
        "line": result.line,
        "docs_url": result.docs_url,
        "remediation": result.remediation,
        "waiver": dataclasses.asdict(result.waiver) if result.waiver else None,
    }
    if result.changed_lines is not None:
        data["changed_lines"] = result.changed_lines
    return data


def report_dict(report: RepoReport) -> dict[str, Any]:
    template = report.template
    return {
        "path": report.path,
        "git_head": report.git_head,
        "repository_root": report.repository_root,
        "service_root": report.service_root,
        "template": {
            "url": template.url,
            "recorded_commit": template.recorded_commit,
            "latest_commit": template.latest_commit,
            "rendered": template.rendered,
            "recorded_version": template.recorded_version,
            "latest_version": template.latest_version,
        }
        if template
        else None,
        "drift": dataclasses.asdict(report.drift) if report.drift else None,
        "drift_note": report.drift_note or None,
        "counts": report.counts(),
        "errors": report.errors,
        "exit_code": report.exit_code,
        "results": [result_dict(result) for result in report.results],
    }


def render(reports: list[RepoReport], exit_code: int) -> str:
    document = {
        "schema": SCHEMA,
        "schema_version": SCHEMA_VERSION,
        "tool": {"name": "cookiecutter-ai-service", "version": __version__},
        "exit_code": exit_code,
        "reports": [report_dict(report) for report in reports],
        "summary": [summary_row(report) for report in reports],
    }
    return json.dumps(document, indent=2) + "\n"
