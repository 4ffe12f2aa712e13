"""Database: migrations are kept in the repository and CI proves they apply."""

from __future__ import annotations

import re

from ..repo import Repo
from .base import Check, Outcome, Skip
from .ci import FOLLOWED

MIGRATION_FILES = (
    "**/migrations/versions/*.py",  # Alembic, the template's layout
    "**/alembic/versions/*.py",
    "**/versions/*.py",  # Alembic in any folder: kept only beside an env.py (below)
    "**/migrations/0*.py",  # Django
    "**/migrations/*.sql",
    "**/migrations/**/*.sql",
    "**/*.up.sql",  # golang-migrate, dbmate
    "**/migrations.py",  # migrations kept as code in one module
    "**/db/migrate/*.rb",
)
MIGRATION_COMMANDS = re.compile(
    r"check-migrations|alembic\s+(?:check|upgrade|downgrade)|makemigrations\s+--check|"
    r"\bmigrate\b|\bdb\s+upgrade\b|command\.upgrade\(|yoyo\s+apply|dbmate\s+up|atlas\s+migrate"
)
DATABASE_USE = re.compile(
    r"^\s*(?:from|import)\s+(?:sqlalchemy|sqlmodel|asyncpg|psycopg2?|aiosqlite|sqlite3|"
    r"django\.db|tortoise|peewee|piccolo|databases|pymongo|motor|beanie|ormar|edgedb)\b",
    re.M,
)


def migration_files(repo: Repo) -> list[str]:
    found = []
    for path in repo.glob(*MIGRATION_FILES):
        if path.endswith("__init__.py") or "/node_modules/" in path:
            continue
        folder = path.rsplit("/", 1)[0]
        if folder.endswith("/versions") or folder == "versions":
            parent = folder.rsplit("/", 1)[0] if "/" in folder else ""
            if not repo.exists(f"{parent}/env.py" if parent else "env.py"):
                continue
        found.append(path)
    return found


def uses_database(repo: Repo) -> bool:
    return any(DATABASE_USE.search(repo.text(path) or "") for path in repo.service_python_files)


class DB001(Check):
    """Database migrations are checked in"""

    family = "database"
    location = "alembic.ini"

    @classmethod
    def check(cls, ai_service_repo: Repo) -> Outcome:
        """Keep schema changes as migrations in the repository (Alembic: `make migration
        m="..."` writes `src/<package>/migrations/versions/*.py`), never as tables created by
        the application at startup."""
        repo = ai_service_repo
        if migration_files(repo):
            return True
        if not uses_database(repo):
            return Skip(
                f"not applicable: the service code ({len(repo.service_python_files)} files under "
                f"{repo.service_label}) imports no database library with a "
                "schema to migrate (sqlalchemy, sqlmodel, asyncpg, psycopg, django.db, ...)"
            )
        return cls.fail(
            "No migration files: looked for Alembic versions/ beside an env.py, Django "
            "migrations/0*.py, migrations/*.sql, *.up.sql and migrations.py modules.",
            path=repo.svc("alembic.ini"),
        )


class DB002(Check):
    """CI applies the migrations and checks them against the models"""

    family = "database"
    requires = frozenset({"DB001"})
    unless = (("ci_provider", "none"),)

    @classmethod
    def check(cls, ai_service_repo: Repo) -> Outcome:
        """Add a CI job that upgrades a throwaway database, compares models with migrations and
        downgrades again (the template's `make check-migrations`, or `alembic upgrade head &&
        alembic check`)."""
        repo = ai_service_repo
        if not repo.has_ci:
            return Skip("nothing to check: the repository has no CI configuration")
        if not migration_files(repo):
            return Skip("nothing to check: no migration files")
        if repo.ci_runs(MIGRATION_COMMANDS):
            return True
        return cls.fail(
            "No CI job runs or checks the migrations: looked for alembic upgrade/check, "
            f"check-migrations, migrate and db upgrade in {repo.ci_summary()}, {FOLLOWED}.",
            path=repo.ci_location,
        )
