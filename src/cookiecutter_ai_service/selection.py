"""--select / --ignore: check ids, id prefixes (HLT), families (health) or kinds (drift)."""

from __future__ import annotations

from collections.abc import Iterable

from .checks import CHECKS, FAMILIES
from .findings import FINDINGS
from .results import Result

KINDS = ("control", "drift", "provenance", "waiver")


def known_tokens() -> set[str]:
    ids = [check.__name__ for check in CHECKS] + [finding.id for finding in FINDINGS]
    prefixes = {identifier.rstrip("0123456789") for identifier in ids}
    return {token.lower() for token in (*ids, *prefixes, *FAMILIES, *KINDS)}


def unknown(tokens: Iterable[str]) -> list[str]:
    known = known_tokens()
    return [token for token in tokens if token.lower() not in known]


def matches(result: Result, tokens: Iterable[str]) -> bool:
    names = {
        result.id.lower(),
        result.id.rstrip("0123456789").lower(),
        result.family.lower(),
        result.kind.lower(),
    }
    return any(token.lower() in names for token in tokens)


def allowed(result: Result, select: list[str], ignore: list[str]) -> bool:
    if select and not matches(result, select):
        return False
    return not matches(result, ignore)
