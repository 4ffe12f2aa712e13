"""SARIF 2.1.0 for code-scanning uploads: failures only, each with a file location.

A waived failure is still a failure: it is included with a SARIF suppression carrying the
waiver's reason, owner and expiry, so code scanning shows it as accepted, not as open.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from .. import __version__
from ..checks.base import DOCS_URL
from ..results import RepoReport, Result

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
LEVELS = {"error": "error", "warning": "warning", "info": "note"}
FALLBACK_PATH = "pyproject.toml"  # a result that names no file points at the project's config


def rule(result: Result) -> dict[str, Any]:
    return {
        "id": result.id,
        "name": result.id,
        "shortDescription": {"text": result.title},
        "helpUri": result.docs_url,
        "help": {"text": result.remediation or result.title},
        "defaultConfiguration": {"level": LEVELS[result.severity]},
        "properties": {"family": result.family, "kind": result.kind},
    }


def sarif_result(result: Result) -> dict[str, Any]:
    region = {"startLine": result.line} if result.line else {}
    location: dict[str, Any] = {
        "artifactLocation": {"uri": result.path or FALLBACK_PATH, "uriBaseId": "REPOROOT"}
    }
    if region:
        location["region"] = region
    text = result.message + (f" Fix: {result.remediation}" if result.remediation else "")
    found: dict[str, Any] = {
        "ruleId": result.id,
        "level": LEVELS[result.severity],
        "message": {"text": text.strip() or result.title},
        "locations": [{"physicalLocation": location}],
        "properties": {"family": result.family, "kind": result.kind},
    }
    if result.waiver is not None:
        waiver = result.waiver
        found["suppressions"] = [
            {
                "kind": "external",
                "status": "accepted",
                "justification": f"{waiver.reason} (owner {waiver.owner}, until {waiver.expires})",
            }
        ]
    return found


def run(report: RepoReport) -> dict[str, Any]:
    failed = [r for r in report.results if r.status in ("fail", "waived")]
    rules = {r.id: rule(r) for r in failed}
    return {
        "tool": {
            "driver": {
                "name": "cookiecutter-ai-service audit",
                "version": __version__,
                "informationUri": DOCS_URL,
                "rules": list(rules.values()),
            }
        },
        "originalUriBaseIds": {
            "REPOROOT": {
                "uri": Path(report.repository_root or report.path).resolve().as_uri() + "/"
            }
        },
        "automationDetails": {"id": f"cookiecutter-ai-service-audit/{Path(report.path).name}/"},
        "results": [sarif_result(r) for r in failed],
        "properties": {
            "repositoryRoot": report.repository_root,
            "serviceRoot": report.service_root,
        },
        "invocations": [
            {
                "executionSuccessful": not report.errors,
                "exitCode": report.exit_code,
                "toolExecutionNotifications": [
                    {"level": "error", "message": {"text": error}} for error in report.errors
                ],
            }
        ],
    }


def render(reports: list[RepoReport], exit_code: int) -> str:
    document = {"$schema": SARIF_SCHEMA, "version": "2.1.0", "runs": [run(r) for r in reports]}
    return json.dumps(document, indent=2) + "\n"
