"""What a check is: a small class in the repo-review style, plus our severity and applicability.

The class docstring is the one-line description; `check()`'s docstring is the failure message
with the fix. `check()` takes the `ai_service_repo` fixture and returns True (pass), a
`Failure` (what was found, where, and the fix), or None (nothing here to check).
"""

from __future__ import annotations

import inspect
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, ClassVar

if TYPE_CHECKING:
    from ..repo import Repo
    from ..results import Severity

DOCS_URL = "https://github.com/OWNER/cookiecutter-ai-service/blob/main/docs/audit.md"

Outcome = bool | str | None


class Skip(str):
    """Nothing to check here, and why: the report shows the reason instead of a bare skip."""


class Failure(str):
    """A failure message repo-review reads as text; our reports also read where it points."""

    detail: str
    fix: str
    path: str | None
    line: int | None

    def __new__(
        cls, detail: str, fix: str = "", path: str | None = None, line: int | None = None
    ) -> Failure:
        failure = super().__new__(cls, f"{detail}\n\n{fix}" if fix else detail)
        failure.detail, failure.fix, failure.path, failure.line = detail, fix, path, line
        return failure


def version_tuple(version: str) -> tuple[int, ...]:
    """0.2.0 -> (0, 2, 0); anything after the numbers (rc1, .dev2) is ignored."""
    numbers = []
    for part in str(version).split("."):
        digits = "".join(char for char in part if char.isdigit()) if part[:1].isdigit() else ""
        if not digits:
            break
        numbers.append(int(digits))
    return tuple(numbers)


class Check:
    """Base class; subclasses are registered by being defined."""

    registry: ClassVar[list[type[Check]]] = []

    family: ClassVar[str]
    severity: ClassVar[Severity] = "error"
    introduced: ClassVar[str] = "0.1.0"  # the template version that first generates what it checks
    requires: ClassVar[frozenset[str]] = frozenset()
    # (option, answer) pairs that make the check not applicable, e.g. (("docker", "no"),).
    unless: ClassVar[tuple[tuple[str, str], ...]] = ()
    location: ClassVar[str] = ""  # the file a failure points at when it names none

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if "check" in cls.__dict__:  # a shared base of a family's checks is not a check
            Check.registry.append(cls)
            raw = cls.__dict__["check"].__func__

            # repo-review reads a string as a failure: it sees a reasoned skip as None.
            def check(klass: type[Check], ai_service_repo: Repo) -> Outcome:
                outcome = raw(klass, ai_service_repo)
                return None if isinstance(outcome, Skip) else outcome

            check.__doc__ = raw.__doc__
            cls._raw_check = raw  # type: ignore[attr-defined]
            cls.check = classmethod(check)  # type: ignore[attr-defined]

    @property
    def id(self) -> str:
        return type(self).__name__

    @property
    def url(self) -> str:
        return f"{DOCS_URL}#{type(self).__name__.lower()}"

    @classmethod
    def description(cls) -> str:
        return inspect.cleandoc(cls.__doc__ or "")

    @classmethod
    def remediation(cls) -> str:
        method = getattr(cls, "check", None)
        return inspect.cleandoc(getattr(method, "__doc__", None) or "")

    @classmethod
    def not_applicable_reason(cls, answers: Mapping[str, Any]) -> str | None:
        """Why the answers rule this check out, or None when it applies (unknown answers: all)."""
        for option, ruled_out in cls.unless:
            value = answers.get(option)
            if value is not None and str(value) == ruled_out:
                return f"not applicable: {option} = {value}"
        recorded = answers.get("_template_version")
        if recorded and version_tuple(str(recorded)) < version_tuple(cls.introduced):
            return (
                f"not applicable yet: introduced in template {cls.introduced}, "
                f"this repository records {recorded}"
            )
        return None

    @classmethod
    def applies(cls, answers: Mapping[str, Any]) -> bool:
        return cls.not_applicable_reason(answers) is None

    @classmethod
    def fail(cls, detail: str, *, path: str | None = None, line: int | None = None) -> Failure:
        return Failure(detail, cls.remediation(), path or cls.location or None, line)

    @classmethod
    def run(cls, repo: Repo) -> Outcome:
        raw = getattr(cls, "_raw_check")  # noqa: B009 - set for every registered check
        return raw(cls, repo)  # type: ignore[no-any-return]


def first_line(text: str, pattern: str) -> int | None:
    """The 1-based line of the first occurrence of `pattern` in `text`."""
    index = text.find(pattern)
    if index < 0:
        return None
    # A pattern that starts with a newline names the line after it.
    return text.count("\n", 0, index) + 1 + (1 if pattern.startswith("\n") else 0)
