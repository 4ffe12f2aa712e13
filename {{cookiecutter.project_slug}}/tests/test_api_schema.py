"""The API does what its OpenAPI schema says: schemathesis fuzzes every operation with all of its
checks (the CLI's `--checks all`), valid and invalid inputs alike, offline and deterministic.

Each finding is a real disagreement between the schema and the service: an undocumented status
or media type, a body that does not match its schema, a valid input refused or an invalid one
accepted, or a 5xx.
"""

from __future__ import annotations

import logging
from typing import Any

import schemathesis
import structlog
from fastapi import FastAPI
from hypothesis import HealthCheck, settings
from schemathesis.generation import GenerationMode

from {{ cookiecutter.package_name }}.app import create_app

from .factories import make_settings

MAX_EXAMPLES = 30


def openapi_document() -> dict[str, Any]:
    """The schema as the app builds it; reading it runs no lifespan and opens no database.

    Called at collection, so the logging the app configures is undone at once.
    """
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    try:
        return create_app(make_settings(log_level="ERROR")).openapi()
    finally:
        root.handlers, root.level = handlers, level
        structlog.reset_defaults()


schema = schemathesis.openapi.from_dict(openapi_document())
schema.config.generation.update(
    modes=list(GenerationMode), max_examples=MAX_EXAMPLES, deterministic=True
)


@schema.parametrize()
@settings(deadline=None, suppress_health_check=list(HealthCheck))
def test_the_api_matches_its_schema(case: schemathesis.Case[Any], app: FastAPI) -> None:
    # The migrated app of this test; schemathesis runs its lifespan around the calls.
    case.call_and_validate(app=app)  # Every check runs unless configured off.
