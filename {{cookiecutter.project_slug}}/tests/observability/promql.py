"""Just enough PromQL reading to list the metric names a query uses."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from prometheus_client.metrics import MetricWrapperBase

from {{ cookiecutter.package_name }}.observability import metrics

KEYWORDS = frozenset({"and", "or", "unless", "bool", "offset", "by", "without", "on", "ignoring"})
SUFFIXES = {
    "counter": ("_total",),
    "gauge": ("",),
    "histogram": ("_bucket", "_count", "_sum"),
}
_STRINGS = re.compile(r'"(?:[^"\\]|\\.)*"')
_MATCHERS = re.compile(r"\{[^}]*\}")
_RANGES = re.compile(r"\[[^\]]*\]")
_GROUPING = re.compile(r"\b(?:by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)")
_NAME = re.compile(r"[a-zA-Z_:][a-zA-Z0-9_:]*")
_NUMBER_LIKE = re.compile(r"^(?:[eE]|Inf|NaN|inf|nan)$")


def metric_names(query: str) -> set[str]:
    """The series names a query selects (functions, keywords and labels left out)."""
    for pattern in (_STRINGS, _MATCHERS, _RANGES, _GROUPING):
        query = pattern.sub(" ", query)
    names = set()
    for match in _NAME.finditer(query):
        name = match.group()
        if name in KEYWORDS or _NUMBER_LIKE.match(name):
            continue
        if query[match.end() :].lstrip().startswith("("):
            continue  # A function.
        if match.start() > 0 and query[match.start() - 1].isdigit():
            continue  # The exponent of a number such as 1e3.
        names.add(name)
    return names


def exported_names() -> set[str]:
    """Every series name the service's instruments can produce."""
    names: set[str] = set()
    for instrument in vars(metrics).values():
        if isinstance(instrument, MetricWrapperBase):
            for family in instrument.describe():
                names.update(family.name + suffix for suffix in SUFFIXES[family.type])
    return names


def rule_expressions(rules_file: Path) -> Iterator[str]:
    """The `expr:` of each rule, inline or as a `|` block (no YAML parser needed)."""
    lines = rules_file.read_text().splitlines()
    for index, line in enumerate(lines):
        key, _, value = line.strip().partition(":")
        if key.removeprefix("- ") != "expr":
            continue
        value = value.split(" #", 1)[0].strip()
        if value != "|":
            yield value
            continue
        indent = len(line) - len(line.lstrip())
        block = []
        for following in lines[index + 1 :]:
            if following.strip() and len(following) - len(following.lstrip()) <= indent:
                break
            block.append(following.strip())
        yield " ".join(block)


def recorded_names(rules_file: Path) -> set[str]:
    return set(re.findall(r"^\s*- record:\s*(\S+)", rules_file.read_text(), re.MULTILINE))
