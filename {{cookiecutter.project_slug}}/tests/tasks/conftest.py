from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi import FastAPI

from {{ cookiecutter.package_name }}.dependencies import get_gateway
from {{ cookiecutter.package_name }}.llm.accounting import InferenceRecorder, SpendLedger
from {{ cookiecutter.package_name }}.llm.config import load_models_config
from {{ cookiecutter.package_name }}.llm.gateway import ModelGateway
from {{ cookiecutter.package_name }}.llm.pricing import load_price_table
from {{ cookiecutter.package_name }}.llm.providers.fake import FakeModelClient

from ..factories import OFFLINE_MODELS_FILE, PRICES_FILE


async def no_sleep(_seconds: float) -> None:
    return None


@pytest.fixture
def scripted_model(app: FastAPI) -> Iterator[FakeModelClient]:
    """The app's gateway, with a fake model the test scripts and retries that do not wait."""
    model = FakeModelClient("fake-1")
    gateway = ModelGateway(
        load_models_config(OFFLINE_MODELS_FILE),
        load_price_table(PRICES_FILE),
        {"fake": model},
        InferenceRecorder(None, SpendLedger()),
        sleep=no_sleep,
    )
    app.dependency_overrides[get_gateway] = lambda: gateway
    yield model
    app.dependency_overrides.clear()
