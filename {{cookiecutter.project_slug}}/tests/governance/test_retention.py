"""`retention apply` deletes inference records older than nfr.toml allows, and only those."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

from sqlalchemy import select

from {{ cookiecutter.package_name }}.core.database import create_engine, create_sessionmaker
from {{ cookiecutter.package_name }}.core.settings import Settings
from {{ cookiecutter.package_name }}.governance.nfr import RetentionNfr
from {{ cookiecutter.package_name }}.governance.retention import apply_retention
from {{ cookiecutter.package_name }}.llm.inference_records import InferenceRecord

NOW = datetime(2026, 6, 30, 12, 0, tzinfo=UTC)
RETENTION = RetentionNfr(inference_records_days=30, audit_events_days=365)


def record(call_id: str, age: timedelta) -> InferenceRecord:
    return InferenceRecord(
        created_at=NOW - age,
        call_id=call_id,
        alias="default",
        deployment="d",
        served_model="fake/fake-1",
        attempt=1,
        outcome="ok",
        input_tokens=1,
        output_tokens=1,
        cost_usd=Decimal("0.0001"),
        latency_ms=1.0,
    )


async def stored_call_ids(settings: Settings) -> list[str]:
    engine = create_engine(settings)
    async with create_sessionmaker(engine)() as session:
        ids = list(await session.scalars(select(InferenceRecord.call_id)))
    await engine.dispose()
    return sorted(ids)


async def test_deletes_only_records_older_than_the_retention(migrated: Settings) -> None:
    engine = create_engine(migrated)
    async with create_sessionmaker(engine)() as session, session.begin():
        session.add_all(
            [
                record("old", timedelta(days=31)),
                record("edge", timedelta(days=29, hours=23)),
                record("new", timedelta(minutes=1)),
            ]
        )
    await engine.dispose()

    counted = await apply_retention(migrated, RETENTION, now=NOW, dry_run=True)
    assert [r.deleted for r in counted] == [1]
    assert await stored_call_ids(migrated) == ["edge", "new", "old"]

    (result,) = await apply_retention(migrated, RETENTION, now=NOW)

    assert result.table == "inference_records"
    assert result.deleted == 1
    assert result.cutoff == NOW - timedelta(days=30)
    assert await stored_call_ids(migrated) == ["edge", "new"]
