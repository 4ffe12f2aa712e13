"""Every report of a run, written into one directory: results.json (also the format of a
baseline), junit.xml, summary.md and a single-file report.html."""

from __future__ import annotations

from pathlib import Path

from ...core.scrubbing import scrub
from ..results import SuiteResults
from .html import html_report
from .junit import junit_xml
from .markdown import markdown_summary

REPORT_FILES = ("results.json", "junit.xml", "summary.md", "report.html")


def write_reports(results: SuiteResults, directory: Path) -> Path:
    """Write every report of `results` into `directory`; returns the results.json path."""
    directory.mkdir(parents=True, exist_ok=True)
    # Reports are uploaded as CI artifacts: each is scrubbed of secrets like a log line.
    (directory / "junit.xml").write_text(scrub(junit_xml(results)), encoding="utf-8")
    (directory / "summary.md").write_text(scrub(markdown_summary(results)), encoding="utf-8")
    (directory / "report.html").write_text(scrub(html_report(results)), encoding="utf-8")
    results_path = directory / "results.json"
    results_path.write_text(scrub(results.to_json()), encoding="utf-8")
    return results_path
