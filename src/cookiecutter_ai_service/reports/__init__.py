"""Report formats: text for people, JSON for machines, SARIF for code scanning, Markdown for CI."""

from __future__ import annotations

from collections.abc import Callable

from ..results import RepoReport
from . import json_report, markdown, sarif, text

FORMATS: dict[str, Callable[[list[RepoReport], int], str]] = {
    "text": text.render,
    "json": json_report.render,
    "sarif": sarif.render,
    "markdown": markdown.render,
}

__all__ = ["FORMATS"]
