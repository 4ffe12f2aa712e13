from __future__ import annotations

from {{ cookiecutter.package_name }}.llm.circuit_breaker import CircuitBreaker, CircuitState
from {{ cookiecutter.package_name }}.llm.config import CircuitBreakerPolicy

from .gateway_factories import FakeClock

POLICY = CircuitBreakerPolicy(
    failure_rate=0.5, window_seconds=60.0, minimum_calls=4, open_seconds=30.0
)


def breaker_with(clock: FakeClock, policy: CircuitBreakerPolicy = POLICY) -> CircuitBreaker:
    return CircuitBreaker(policy, clock)


def state(breaker: CircuitBreaker) -> CircuitState:
    """Read afresh each time (a plain attribute read would be narrowed by mypy)."""
    return breaker.state


def fail(breaker: CircuitBreaker, times: int) -> None:
    for _ in range(times):
        assert breaker.allow()
        breaker.record(failed=True)


def succeed(breaker: CircuitBreaker, times: int) -> None:
    for _ in range(times):
        assert breaker.allow()
        breaker.record(failed=False)


def opened(clock: FakeClock) -> CircuitBreaker:
    breaker = breaker_with(clock)
    fail(breaker, 4)
    assert state(breaker) is CircuitState.OPEN
    return breaker


def test_stays_closed_below_minimum_calls_even_if_all_failed() -> None:
    breaker = breaker_with(FakeClock())
    fail(breaker, 3)
    assert state(breaker) is CircuitState.CLOSED
    assert breaker.allow()


def test_opens_when_the_failure_rate_is_reached() -> None:
    breaker = breaker_with(FakeClock())
    succeed(breaker, 2)
    fail(breaker, 1)
    assert state(breaker) is CircuitState.CLOSED  # 1 of 3: below minimum calls anyway.
    fail(breaker, 1)  # 2 of 4 = 0.5.
    assert state(breaker) is CircuitState.OPEN


def test_stays_closed_below_the_failure_rate() -> None:
    breaker = breaker_with(FakeClock())
    succeed(breaker, 3)
    fail(breaker, 2)  # 2 of 5 = 0.4.
    assert state(breaker) is CircuitState.CLOSED
    succeed(breaker, 5)
    fail(breaker, 3)  # 5 of 13.
    assert state(breaker) is CircuitState.CLOSED


def test_refuses_calls_while_open() -> None:
    clock = FakeClock()
    breaker = opened(clock)
    clock.advance(29.9)
    assert state(breaker) is CircuitState.OPEN
    assert [breaker.allow() for _ in range(5)] == [False] * 5


def test_half_open_after_open_seconds_lets_exactly_one_probe_through() -> None:
    clock = FakeClock()
    breaker = opened(clock)
    clock.advance(30.0)
    assert state(breaker) is CircuitState.HALF_OPEN
    assert breaker.allow()
    assert [breaker.allow() for _ in range(3)] == [False, False, False]
    assert state(breaker) is CircuitState.HALF_OPEN


def test_probe_success_closes_the_circuit_with_a_fresh_window() -> None:
    clock = FakeClock()
    breaker = opened(clock)
    clock.advance(30.0)
    assert breaker.allow()
    breaker.record(failed=False)
    assert state(breaker) is CircuitState.CLOSED
    assert all(breaker.allow() for _ in range(5))
    fail(breaker, 3)  # The failures before opening no longer count.
    assert state(breaker) is CircuitState.CLOSED
    fail(breaker, 1)
    assert state(breaker) is CircuitState.OPEN


def test_probe_failure_reopens_for_another_open_period() -> None:
    clock = FakeClock()
    breaker = opened(clock)
    clock.advance(31.0)
    assert breaker.allow()
    clock.advance(2.0)
    breaker.record(failed=True)
    assert state(breaker) is CircuitState.OPEN
    assert not breaker.allow()
    clock.advance(29.9)
    assert state(breaker) is CircuitState.OPEN
    clock.advance(0.1)
    assert state(breaker) is CircuitState.HALF_OPEN
    assert breaker.allow()  # A new probe, now that the old one came back.


def test_old_outcomes_leave_the_window() -> None:
    clock = FakeClock()
    breaker = breaker_with(clock)
    fail(breaker, 3)
    clock.advance(61.0)
    fail(breaker, 1)  # The three old failures have left: 1 call, below minimum.
    assert state(breaker) is CircuitState.CLOSED
    fail(breaker, 2)
    assert state(breaker) is CircuitState.CLOSED  # 3 calls in the window.
    fail(breaker, 1)
    assert state(breaker) is CircuitState.OPEN


def test_outcomes_just_inside_the_window_still_count() -> None:
    clock = FakeClock()
    breaker = breaker_with(clock)
    fail(breaker, 3)
    clock.advance(60.0)
    fail(breaker, 1)
    assert state(breaker) is CircuitState.OPEN


def test_release_frees_the_probe_slot() -> None:
    clock = FakeClock()
    breaker = opened(clock)
    clock.advance(30.0)
    assert breaker.allow()
    assert not breaker.allow()
    breaker.release()  # The probe was cancelled: no verdict, the circuit stays half-open.
    assert state(breaker) is CircuitState.HALF_OPEN
    assert breaker.allow()
    assert not breaker.allow()


def test_a_call_let_through_before_opening_does_not_close_the_circuit() -> None:
    """A slow call admitted while closed must not count as the half-open probe."""
    clock = FakeClock()
    breaker = breaker_with(clock)
    assert breaker.allow()  # A slow call, still in flight ...
    fail(breaker, 4)  # ... while others fail and open the circuit.
    assert state(breaker) is CircuitState.OPEN
    breaker.record(failed=False)  # The slow call comes back fine.
    assert state(breaker) is CircuitState.OPEN
    assert not breaker.allow()
    clock.advance(30.0)
    assert breaker.allow()  # The probe.
    breaker.record(failed=False)
    assert state(breaker) is CircuitState.CLOSED


def test_a_late_failure_from_before_opening_does_not_extend_the_open_period() -> None:
    clock = FakeClock()
    breaker = breaker_with(clock)
    assert breaker.allow()  # In flight while the circuit opens.
    fail(breaker, 4)
    clock.advance(20.0)
    breaker.record(failed=True)
    clock.advance(10.0)
    assert state(breaker) is CircuitState.HALF_OPEN
