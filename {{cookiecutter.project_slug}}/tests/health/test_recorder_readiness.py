"""Set-aside inference records show in readiness as degraded: visible, never failing."""

from __future__ import annotations

import pytest

from {{ cookiecutter.package_name }}.health.checks import DegradedError, run_readiness_checks
from {{ cookiecutter.package_name }}.health.model_gateway import inference_recorder_check

from ..llm.gateway_factories import make_gateway
from ..llm.test_recorder_resilience import attempt


async def test_set_aside_rows_make_readiness_degraded_not_failed() -> None:
    harness = make_gateway()
    check = inference_recorder_check(harness.gateway)
    assert (await run_readiness_checks({"inference_records": check}, 1.0))[
        "inference_records"
    ].status == "ok"

    harness.recorder.dead_letters.set_aside(attempt(), "test")

    with pytest.raises(DegradedError, match="1 set aside"):
        await check()
    report = (await run_readiness_checks({"inference_records": check}, 1.0))["inference_records"]
    assert (report.status, report.detail) == ("degraded", "0 pending, 1 set aside")
