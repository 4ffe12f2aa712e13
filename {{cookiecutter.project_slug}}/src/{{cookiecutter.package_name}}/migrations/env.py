"""Alembic environment: async engine from the service's own settings and models."""

from __future__ import annotations

import asyncio

from alembic import context
from sqlalchemy import Connection

from {{ cookiecutter.package_name }} import models  # noqa: F401 - registers every table
from {{ cookiecutter.package_name }}.core.database import Base, create_engine
from {{ cookiecutter.package_name }}.core.settings import Settings, load_settings

config = context.config
settings: Settings = config.attributes.get("settings") or load_settings()
target_metadata = Base.metadata


def run_migrations_offline() -> None:
    context.configure(
        url=settings.database_url.get_secret_value(),
        target_metadata=target_metadata,
        literal_binds=True,
        render_as_batch=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations(connection: Connection) -> None:
    # Batch mode lets the same migration alter tables on SQLite, which lacks ALTER COLUMN.
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=True,
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


async def run_migrations_online() -> None:
    engine = create_engine(settings)
    try:
        async with engine.connect() as connection:
            await connection.run_sync(run_migrations)
    finally:
        await engine.dispose()


if context.is_offline_mode():
    run_migrations_offline()
else:
    asyncio.run(run_migrations_online())
