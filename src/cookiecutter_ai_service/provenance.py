"""The version record: `.cruft.json`, written by the template's post-generation hook (or cruft)."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

RECORD = ".cruft.json"
COMMIT = re.compile(r"^[0-9a-f]{7,40}$")


class InvalidRecord(Exception):
    """The record exists but cannot be used: the audit exits 65."""


@dataclass(frozen=True)
class Provenance:
    template: str
    commit: str | None
    checkout: str | None
    answers: dict[str, Any]

    @property
    def template_version(self) -> str | None:
        version = self.answers.get("_template_version")
        return str(version) if version is not None else None


def read_record(project: Path) -> Provenance | None:
    """The record, None when there is none; InvalidRecord when it cannot be trusted."""
    path = project / RECORD
    if not path.is_file():
        return None
    try:
        record = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise InvalidRecord(f"{RECORD} is not readable JSON: {error}") from error
    if not isinstance(record, dict):
        raise InvalidRecord(f"{RECORD} is not a JSON object.")
    template = record.get("template")
    if not isinstance(template, str) or not template.strip():
        raise InvalidRecord(f"{RECORD} has no `template` (where the project was generated from).")
    commit = record.get("commit")
    if commit is not None and (not isinstance(commit, str) or not COMMIT.match(commit)):
        raise InvalidRecord(f"{RECORD}: `commit` {commit!r} is not a git commit id.")
    context = record.get("context")
    answers = context.get("cookiecutter") if isinstance(context, dict) else None
    if not isinstance(answers, dict) or not answers:
        raise InvalidRecord(f"{RECORD} has no `context.cookiecutter` (the recorded answers).")
    version = answers.get("_template_version")
    if version is not None and not isinstance(version, str):
        raise InvalidRecord(f"{RECORD}: `_template_version` {version!r} is not a string.")
    checkout = record.get("checkout")
    return Provenance(
        template=template,
        commit=commit,
        checkout=checkout if isinstance(checkout, str) else None,
        answers=answers,
    )
