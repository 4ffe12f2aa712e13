"""The reports of a run: results.json, junit.xml, summary.md and a single-file report.html."""

from .files import REPORT_FILES, write_reports
from .html import html_report
from .junit import junit_xml
from .markdown import markdown_summary

__all__ = ["REPORT_FILES", "html_report", "junit_xml", "markdown_summary", "write_reports"]
