from __future__ import annotations

from collections.abc import Callable

import pytest

from {{ cookiecutter.package_name }}.llm.backoff import retry_delay
from {{ cookiecutter.package_name }}.llm.config import RetryPolicy

POLICY = RetryPolicy(
    max_attempts=10, base_delay_seconds=0.5, max_delay_seconds=4.0, max_retry_after_seconds=20.0
)


def top() -> float:
    """`uniform` at its upper end: the delay is the whole step."""
    return 1.0


def bottom() -> float:
    return 0.0


def fixed(value: float) -> Callable[[], float]:
    return lambda: value


@pytest.mark.parametrize(
    ("retry_number", "step"),
    [(1, 0.5), (2, 1.0), (3, 2.0), (4, 4.0), (5, 4.0), (9, 4.0)],
)
def test_the_step_doubles_up_to_the_cap(retry_number: int, step: float) -> None:
    assert retry_delay(POLICY, retry_number, None, top) == step
    assert retry_delay(POLICY, retry_number, None, bottom) == step / 2


def test_jitter_spreads_the_delay_over_the_upper_half_of_the_step() -> None:
    assert retry_delay(POLICY, 3, None, fixed(0.5)) == 1.5
    assert retry_delay(POLICY, 3, None, fixed(0.25)) == 1.25
    for i in range(101):
        delay = retry_delay(POLICY, 3, None, fixed(i / 101))
        assert delay is not None
        assert 1.0 <= delay <= 2.0


def test_default_uniform_stays_within_bounds() -> None:
    delays = [retry_delay(POLICY, 2, None) for _ in range(200)]
    assert all(d is not None and 0.5 <= d <= 1.0 for d in delays)
    assert len(set(delays)) > 1  # Jittered, not constant.


def test_retry_after_is_a_floor() -> None:
    assert retry_delay(POLICY, 1, 3.0, top) == 3.0  # Longer than the 0.5 s step.
    assert retry_delay(POLICY, 4, 1.0, fixed(0.5)) == 3.0  # Shorter: the backoff wins.
    assert retry_delay(POLICY, 1, 20.0, bottom) == 20.0  # Exactly the limit still waits.


def test_retry_after_beyond_the_limit_means_do_not_retry_here() -> None:
    assert retry_delay(POLICY, 1, 20.5, top) is None
    assert retry_delay(POLICY, 1, 60.0, bottom) is None


def test_retry_after_of_zero_does_not_shorten_the_backoff() -> None:
    assert retry_delay(POLICY, 2, 0.0, fixed(0.5)) == 0.75
