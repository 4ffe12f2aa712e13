"""Scrape a metrics port and read samples with prometheus-client's own parser."""

from __future__ import annotations

from collections.abc import Mapping

import httpx
from prometheus_client.parser import text_string_to_metric_families
from prometheus_client.samples import Sample


def scrape(url: str) -> list[Sample]:
    response = httpx.get(url, timeout=10)
    response.raise_for_status()
    return [
        sample
        for family in text_string_to_metric_families(response.text)
        for sample in family.samples
    ]


def value(samples: list[Sample], name: str, **labels: str) -> float:
    """The sum of the samples named `name` whose labels include `labels` (0 when none)."""
    return sum(s.value for s in samples if s.name == name and matches(s.labels, labels))


def matches(have: Mapping[str, str], want: Mapping[str, str]) -> bool:
    return all(have.get(key) == wanted for key, wanted in want.items())
