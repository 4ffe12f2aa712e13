"""A PostgreSQL bake runs its tests and migration check against this machine's PostgreSQL."""

from __future__ import annotations

import re
import shutil
import subprocess
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from .baking import bake, describe, run

ADMIN = ["psql", "-h", "127.0.0.1", "-U", "postgres", "-d", "postgres", "-v", "ON_ERROR_STOP=1"]


@pytest.fixture(scope="module")
def database() -> Iterator[str]:
    """A fresh database per run, so parallel or earlier runs cannot interfere."""
    assert shutil.which("psql"), "psql is needed to create the test database"
    name = f"aisvc_{uuid.uuid4().hex[:12]}"
    subprocess.run([*ADMIN, "-c", f"CREATE DATABASE {name}"], check=True, capture_output=True)
    try:
        yield f"postgresql+asyncpg://postgres@127.0.0.1:5432/{name}"
    finally:
        subprocess.run(
            [*ADMIN, "-c", f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"],
            check=True,
            capture_output=True,
        )


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return bake(tmp_path_factory.mktemp("postgres"), database="postgresql")


def env_for(project: Path, database: str) -> dict[str, str]:
    return {"PYTHONPATH": str(project / "src"), "TEST_DATABASE_URL": database}


@pytest.mark.xdist_group("postgres")
def test_generated_tests_pass_on_postgresql(project: Path, database: str) -> None:
    result = run(
        ["python", "-m", "pytest", "-q", "-m", "postgres", "-p", "no:cacheprovider"],
        project,
        env=env_for(project, database),
    )

    assert result.returncode == 0, describe(result)
    passed = re.search(r"(\d+) passed", result.stdout)
    assert passed is not None, describe(result)
    assert int(passed.group(1)) >= 5, "the PostgreSQL variants of the database tests must run"


@pytest.mark.xdist_group("postgres")
def test_migration_check_passes_on_postgresql(project: Path, database: str) -> None:
    result = run(
        ["make", "check-migrations", "RUN=", f"MIGRATION_CHECK_DB={database}"],
        project,
        env=env_for(project, database),
    )

    assert result.returncode == 0, describe(result)
    assert "no drift" in result.stdout
