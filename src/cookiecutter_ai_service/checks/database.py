"""Database: migrations are kept in the repository and CI proves they apply."""

from __future__ import annotations

import re

from ..repo import Repo
from .base import Check, Outcome

MIGRATION_FILES = (
    "**/migrations/versions/*.py",  # Alembic, the template's layout
    "**/alembic/versions/*.py",
    "**/migrations/0*.py",  # Django
    "**/migrations/*.sql",
    "**/db/migrate/*.rb",
)
MIGRATION_COMMANDS = re.compile(
    r"check-migrations|alembic\s+(?:check|upgrade)|makemigrations\s+--check|\bmigrate\b"
)


def migration_files(repo: Repo) -> list[str]:
    return [path for path in repo.glob(*MIGRATION_FILES) if not path.endswith("__init__.py")]


class DB001(Check):
    """Database migrations are checked in"""

    family = "database"
    location = "alembic.ini"

    @classmethod
    def check(cls, ai_service_repo: Repo) -> Outcome:
        """Keep schema changes as migrations in the repository (Alembic: `make migration
        m="..."` writes `src/<package>/migrations/versions/*.py`), never as tables created by
        the application at startup."""
        if migration_files(ai_service_repo):
            return True
        return cls.fail("No migration files (Alembic versions/, Django migrations/).")


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
        if not repo.has_ci or not migration_files(repo):
            return None
        if any(MIGRATION_COMMANDS.search(job.commands) for job in repo.ci_jobs):
            return True
        return cls.fail("No CI job runs or checks the migrations.", path=repo.ci_location)
