"""Refuse bad answers before cookiecutter writes a single file.

Each check names the field, what was given and what is allowed, then the hook exits 1.
Cookiecutter removes the half-made project directory when a pre-generation hook fails.
"""

from __future__ import annotations

import keyword
import re
import sys
from collections.abc import Callable

ANSWERS = {
    "project_name": {{ cookiecutter.project_name | tojson }},
    "project_slug": {{ cookiecutter.project_slug | tojson }},
    "package_name": {{ cookiecutter.package_name | tojson }},
    "description": {{ cookiecutter.description | tojson }},
    "author_name": {{ cookiecutter.author_name | tojson }},
    "author_email": {{ cookiecutter.author_email | tojson }},
    "version": {{ cookiecutter.version | tojson }},
    "python_version": {{ cookiecutter.python_version | tojson }},
    "license": {{ cookiecutter.license | tojson }},
    "database": {{ cookiecutter.database | tojson }},
    "ci_provider": {{ cookiecutter.ci_provider | tojson }},
    "docker": {{ cookiecutter.docker | tojson }},
}

CHOICES = {
    "python_version": ("3.11", "3.12", "3.13"),
    "license": ("MIT", "Apache-2.0", "BSD-3-Clause", "Proprietary"),
    "database": ("sqlite", "postgresql"),
    "ci_provider": ("github", "gitlab", "none"),
    "docker": ("yes", "no"),
}

SLUG = re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$")
PACKAGE = re.compile(r"^[a-z][a-z0-9_]*$")
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
# PEP 440 public versions, without local labels: 1.0, 0.1.0, 2.0.0rc1, 1.0.post1, 1.0.dev3.
VERSION = re.compile(r"^\d+(\.\d+)*((a|b|rc)\d+)?(\.post\d+)?(\.dev\d+)?$")
TEXT_FIELDS = ("project_name", "description", "author_name")
UNSAFE_TEXT = re.compile(r'["\\\n\r]')
# (fields, rule, message): add a row when two options stop working together.
# Every combination of today's options is supported, so the table is empty.
UNSUPPORTED_COMBINATIONS: list[tuple[tuple[str, ...], Callable[[dict[str, str]], bool], str]] = []
# Names that would shadow what the generated service itself imports.
RESERVED_PACKAGES = {"alembic", "fastapi", "pydantic", "sqlalchemy", "starlette", "structlog", "tests"}


def problems(answers: dict[str, str]) -> list[str]:
    found: list[str] = []
    if not answers["project_name"].strip():
        found.append("project_name: must not be empty.")
    slug = answers["project_slug"]
    if not SLUG.match(slug) or len(slug) > 64:
        found.append(
            f"project_slug: {slug!r} is not allowed; use lowercase letters, digits and single "
            "dashes, starting with a letter, at most 64 characters (e.g. 'ai-service')."
        )
    package = answers["package_name"]
    if not PACKAGE.match(package) or not package.isidentifier():
        found.append(
            f"package_name: {package!r} is not a valid Python package name; use lowercase "
            "letters, digits and underscores, starting with a letter (e.g. 'ai_service')."
        )
    elif keyword.iskeyword(package) or keyword.issoftkeyword(package):
        found.append(f"package_name: {package!r} is a Python keyword; choose another name.")
    elif package in sys.stdlib_module_names or package in RESERVED_PACKAGES:
        found.append(
            f"package_name: {package!r} would shadow the module of the same name "
            "(standard library or a dependency); choose another name."
        )
    if not EMAIL.match(answers["author_email"]):
        found.append(
            f"author_email: {answers['author_email']!r} is not an e-mail address "
            "(expected name@domain.tld)."
        )
    if not VERSION.match(answers["version"]):
        found.append(
            f"version: {answers['version']!r} is not a PEP 440 version (e.g. 0.1.0, 1.0.0rc1)."
        )
    for field, allowed in CHOICES.items():
        if answers[field] not in allowed:
            found.append(
                f"{field}: {answers[field]!r} is not supported; choose one of {', '.join(allowed)}."
            )
    for field in TEXT_FIELDS:
        if UNSAFE_TEXT.search(answers[field]):
            found.append(
                f"{field}: must be one line without double quotes or backslashes "
                "(it is written into TOML, YAML and Python strings)."
            )
    for fields, rule, message in UNSUPPORTED_COMBINATIONS:
        if rule(answers):
            found.append(f"{' + '.join(fields)}: {message}")
    return found


def main() -> int:
    found = problems(ANSWERS)
    for line in found:
        print(f"ERROR: {line}", file=sys.stderr)
    if found:
        print("Nothing was generated. Fix the answers above and run cookiecutter again.", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
