"""nfr.toml is checked at start-up: an invalid or incomplete file names the key."""

from __future__ import annotations

from pathlib import Path

import pytest

from {{ cookiecutter.package_name }}.app import create_app
from {{ cookiecutter.package_name }}.governance.nfr import NfrError, load_nfr
from {{ cookiecutter.package_name }}.tasks.registry import task_registry

from ..factories import PROJECT_DIR, lifespan_client, make_settings
from .conftest import edit


def test_the_shipped_nfr_file_covers_every_task() -> None:
    nfr = load_nfr(PROJECT_DIR / "nfr.toml")

    nfr.check_covers(PROJECT_DIR / "nfr.toml", task_registry().names())
    assert nfr.service.error_budget_minutes == pytest.approx(216.0)


@pytest.mark.parametrize(
    ("old", "new", "key"),
    [
        ("latency_p95_ms = 4000", "latency_p95_ms = -1", "tasks.triage_ticket.latency_p95_ms"),
        ("eval_pass_rate_floor = 0.", "eval_pass_rate_floor = 1.", "eval_pass_rate_floor"),
        ('owner = "@platform-team"', "", "service.owner: Field required"),
        ("[tasks.triage_ticket]", "[tasks.triage_tickets]", "tasks.triage_ticket: missing"),
        ("audit_events_days = 365", "audit_events_days = 365\nkeep = 1", "retention.keep"),
        ("[retention]", "[retention", "not valid TOML"),
    ],
)
async def test_start_up_refuses_an_invalid_nfr_file_naming_the_key(
    tmp_path: Path, old: str, new: str, key: str
) -> None:
    nfr_file = tmp_path / "nfr.toml"
    nfr_file.write_text((PROJECT_DIR / "nfr.toml").read_text())
    edit(nfr_file, old, new)
    app = create_app(make_settings(nfr_file=nfr_file, database_url="sqlite+aiosqlite://"))

    with pytest.raises(NfrError, match=str(nfr_file)) as refused:
        async with lifespan_client(app):
            pass

    assert key in str(refused.value)


def test_an_nfr_for_a_task_that_does_not_exist_is_refused(tmp_path: Path) -> None:
    nfr_file = tmp_path / "nfr.toml"
    extra = "[tasks.no_such_task]\nlatency_p95_ms = 1\ncost_per_call_usd = 1\n"
    extra += "eval_pass_rate_floor = 1\n"
    nfr_file.write_text((PROJECT_DIR / "nfr.toml").read_text() + extra)

    with pytest.raises(NfrError, match=r"tasks\.no_such_task: no such task"):
        load_nfr(nfr_file).check_covers(nfr_file, task_registry().names())
