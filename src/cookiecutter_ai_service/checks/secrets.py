"""Secrets: none in tracked files, .env ignored, settings read from the environment or files."""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass

from ..globs import matches
from ..repo import Repo
from .base import Check, Outcome

PRIVATE_KEY = re.compile(r"-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----")
# Shapes of real credentials (the shapes secret scanners and providers document).
KEY_SHAPES = {
    "AWS access key id": re.compile(r"\b(?:AKIA|ASIA)[0-9A-Z]{16}\b"),
    "OpenAI or Anthropic API key": re.compile(
        r"\bsk-(?:proj-|ant-(?:api\d\d-)?)?[A-Za-z0-9_-]{20,}"
    ),
    "GitHub token": re.compile(r"\b(?:gh[pousr]_[A-Za-z0-9]{36,}|github_pat_[A-Za-z0-9_]{60,})"),
    "GitLab token": re.compile(r"\bglpat-[A-Za-z0-9_-]{20,}"),
    "Slack token": re.compile(r"\bxox[abposr]-[A-Za-z0-9-]{10,}"),
    "Google API key": re.compile(r"\bAIza[0-9A-Za-z_-]{35}\b"),
    "Hugging Face token": re.compile(r"\bhf_[A-Za-z0-9]{30,}\b"),
}
# name = "value" where the name says secret: the value must also look random to count.
SECRET_NAME = (
    r"(?i)\b([\w.-]*(?:secret|passw(?:or)?d|api[_-]?key|access[_-]?key|auth[_-]?token|"
    r"private[_-]?key|token)[\w.-]*)[\"']?"
    # a Python annotation between the name and `=` (`signing_key: str = "..."`)
    r"(?:\s*:\s*[\w.\[\], |]+?(?=\s*=))?\s*[:=]\s*"
)
# A literal, or one wrapped in SecretStr(...): any other call computes the value at run time.
QUOTED = re.compile(
    SECRET_NAME
    + r"""(?:(?:SecretStr|SecretBytes|str|bytes)\(\s*)?(["'])(?P<value>[^\s"']{12,})\2"""
)
# Config files also hold bare values: KEY=value, key: value.
UNQUOTED = re.compile(SECRET_NAME + r"(?P<value>[^\s\"'#,(){}\[\]]{12,})\s*(?:#.*)?$")
CONFIG_FILES = (
    "**/.env*",
    "**/*.env",
    "**/*.ini",
    "**/*.cfg",
    "**/*.conf",
    "**/*.properties",
    "**/*.yaml",
    "**/*.yml",
    "**/Dockerfile*",
)
CREDENTIAL_URL = re.compile(r"://[^:/\s@]+:(?P<value>[^@\s/]{8,})@")
PLACEHOLDERS = re.compile(
    r"(?i)change-?me|replace|placeholder|example|dummy|fake|sample|test|xxx|your[_-]|<|\$|\{|"
    r"redacted|\*\*\*|secretstr|environ|getenv|settings\.|none|null|true|false|"
    r"abc123|xyz|12345|\.\.\.|e2e|seed|localhost|(?<![a-z])dev(?![a-z])|://"
)
ALLOW_MARKER = re.compile(r"pragma: allowlist secret|audit: allow-secret|noqa: S105|noqa: S106")
# Tests, fixtures, docs and example or template files hold fake credentials on purpose; private
# keys are flagged everywhere.
NOT_SCANNED_FOR_KEYS = (
    "tests/**",
    "test/**",
    "**/tests/**",
    "**/test/**",
    "**/fixtures/**",
    "**/testdata/**",
    "docs/**",
    "**/docs/**",
    "handbook/**",
    "**/*.md",
    "**/*.mdx",
    "**/*.rst",
    "**/*.example",
    "**/*.sample",
    "**/*.template",
    "**/*.example.*",
    "**/.env.example*",
    "**/.env.*.template",
    "**/.env.template",
    "**/.env.test*",
    "**/*.env.example",
)
# Dev and CI infrastructure: compose files and CI workflows give throwaway passwords to local
# service containers; only credentials of a real provider's shape count there.
SHAPES_ONLY = (
    "**/*compose*.y*ml",
    ".github/workflows/*.y*ml",
    ".gitlab-ci.yml",
    "**/.env.docker*",
)
# Firebase client configs carry API keys meant to ship in apps (they identify, not authorise).
NEVER_SCANNED = (
    "uv.lock",
    "**/*.lock",
    "package-lock.json",
    "**/*.svg",
    "**/google-services.json",
    "**/GoogleService-Info.plist",
)


def entropy(value: str) -> float:
    counts = Counter(value)
    return -sum(n / len(value) * math.log2(n / len(value)) for n in counts.values())


def looks_random(value: str) -> bool:
    return (
        entropy(value) >= 3.5
        and any(char.isdigit() for char in value)
        and any(char.isalpha() for char in value)
        and not PLACEHOLDERS.search(value)
    )


@dataclass(frozen=True)
class Leak:
    path: str
    line: int
    what: str


def leaks(repo: Repo, *, private_keys: bool) -> list[Leak]:
    found = []
    for path in repo.files:
        if any(matches(pattern, path) for pattern in NEVER_SCANNED):
            continue
        if not private_keys and any(matches(pattern, path) for pattern in NOT_SCANNED_FOR_KEYS):
            continue
        text = repo.text(path)
        if not text:
            continue
        config = any(matches(pattern, path) for pattern in CONFIG_FILES)
        shapes_only = any(matches(pattern, path) for pattern in SHAPES_ONLY)
        for number, line in enumerate(text.splitlines(), start=1):
            if ALLOW_MARKER.search(line):
                continue
            what = (
                private_key(line)
                if private_keys
                else credential(line, config=config, shapes_only=shapes_only)
            )
            if what:
                found.append(Leak(path, number, what))
    return found


def private_key(line: str) -> str | None:
    return "private key" if PRIVATE_KEY.search(line) else None


def credential(line: str, *, config: bool, shapes_only: bool = False) -> str | None:
    for name, shape in KEY_SHAPES.items():
        match = shape.search(line)
        if match and not PLACEHOLDERS.search(match.group(0)):
            return name
    if shapes_only:
        return None
    for pattern in (QUOTED, UNQUOTED) if config else (QUOTED,):
        for match in pattern.finditer(line):
            if looks_random(match.group("value")):
                return f"hard-coded value of {match.group(1)}"
    match = CREDENTIAL_URL.search(line)
    if match and looks_random(match.group("value")):
        return "password in a URL"
    return None


def describe(found: list[Leak]) -> str:
    shown = ", ".join(f"{leak.what} at {leak.path}:{leak.line}" for leak in found[:5])
    return shown + (f" and {len(found) - 5} more" if len(found) > 5 else "")


class SEC001(Check):
    """No private keys in tracked files"""

    family = "secrets"

    @classmethod
    def check(cls, ai_service_repo: Repo) -> Outcome:
        """Remove the key from the repository and its history (git filter-repo), rotate it, and
        deliver it at run time as a secret file (`/run/secrets/...`) or an environment variable.
        The `detect-private-key` pre-commit hook stops the next one."""
        found = leaks(ai_service_repo, private_keys=True)
        if not found:
            return True
        return cls.fail(f"Found {describe(found)}.", path=found[0].path, line=found[0].line)


class SEC002(Check):
    """No hard-coded API keys, tokens or passwords in tracked files"""

    family = "secrets"

    @classmethod
    def check(cls, ai_service_repo: Repo) -> Outcome:
        """Rotate the credential, delete it from the file (and from history), and read it at run
        time from settings: a `SecretStr` field filled from `APP_*` variables or secret files.
        A deliberate fake value can carry `# pragma: allowlist secret`."""
        found = leaks(ai_service_repo, private_keys=False)
        if not found:
            return True
        return cls.fail(f"Found {describe(found)}.", path=found[0].path, line=found[0].line)


class SEC003(Check):
    """.env is git-ignored and not tracked"""

    family = "secrets"
    location = ".gitignore"

    @classmethod
    def check(cls, ai_service_repo: Repo) -> Outcome:
        """Add `.env` to `.gitignore` and untrack it (`git rm --cached .env`); keep a
        `.env.example` with placeholders instead."""
        repo = ai_service_repo
        envs = list(dict.fromkeys([".env", repo.svc(".env")]))
        tracked = [env for env in envs if repo.uses_git and env in repo.files]
        if tracked:
            return cls.fail(f"{tracked[0]} is tracked by git.", path=tracked[0])
        ignores = list(dict.fromkeys([".gitignore", repo.svc(".gitignore")]))
        for path in ignores:
            patterns = [
                line.strip().lstrip("/")
                for line in (repo.text(path) or "").splitlines()
                if line.strip() and not line.lstrip().startswith(("#", "!"))
            ]
            if any(matches(pattern.rstrip("/"), ".env") for pattern in patterns):
                return True
        return cls.fail(
            f"No ignore rule matches .env: looked at {', '.join(ignores)}.", path=ignores[0]
        )


class SEC004(Check):
    """Settings read secrets from the environment or secret files"""

    family = "secrets"

    @classmethod
    def check(cls, ai_service_repo: Repo) -> Outcome:
        """Read configuration through typed settings (pydantic-settings `BaseSettings`, secrets
        as `SecretStr`) filled from environment variables and secret files (`/run/secrets`),
        never from constants in the code."""
        for path in ai_service_repo.service_python_files:
            text = ai_service_repo.text(path) or ""
            if "BaseSettings" in text or re.search(r"os\.(?:environ|getenv)\b", text):
                return True
        return cls.fail("No settings read from the environment (BaseSettings, os.environ).")
