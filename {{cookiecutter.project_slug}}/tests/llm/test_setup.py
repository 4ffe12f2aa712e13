"""Start-up refuses a model configuration that cannot work, naming the file and the field."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI

from {{ cookiecutter.package_name }}.app import create_app
from {{ cookiecutter.package_name }}.core.settings import AppEnv
from {{ cookiecutter.package_name }}.llm.config import ModelConfigError
from {{ cookiecutter.package_name }}.llm.setup import load_model_setup, start_gateway

from ..factories import PRICES_FILE, LogOutput, lifespan_client, make_settings

OPENAI_MODELS = """
version = "1"
[deployments.primary]
provider = "openai"
model = "gpt-4.1-mini-2025-04-14"
[aliases.default]
deployments = ["primary"]
"""


def models_file(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "models.toml"
    path.write_text(text)
    return path


@pytest.fixture
def openai_app(tmp_path: Path, log_output: LogOutput) -> FastAPI:
    """Made in a fixture: pytest swaps sys.stdout back at the start of the test's call."""
    return create_app(make_settings(models_file=models_file(tmp_path, OPENAI_MODELS)))


async def test_logs_the_config_hash_and_the_provider_of_each_alias(
    client: httpx.AsyncClient, log_output: LogOutput
) -> None:
    (loaded,) = log_output.events("model_config_loaded")
    assert loaded["providers_by_alias"] == {"default": ["fake"], "cheap": ["fake"]}
    assert len(loaded["sha256"]) == 64


async def test_a_deployment_without_a_price_is_refused(tmp_path: Path) -> None:
    prices = tmp_path / "prices.toml"
    prices.write_text('version = "1"\n[prices]\n')
    settings = make_settings(models_file=models_file(tmp_path, OPENAI_MODELS), prices_file=prices)

    with pytest.raises(ModelConfigError, match=r"no price.*primary \(openai/gpt-4.1-mini"):
        await start_gateway(settings, None)


async def test_production_refuses_a_provider_without_its_key(tmp_path: Path) -> None:
    settings = make_settings(
        env=AppEnv.PRODUCTION,
        models_file=models_file(tmp_path, OPENAI_MODELS),
        prices_file=PRICES_FILE,
    )

    with pytest.raises(ModelConfigError, match="APP_OPENAI_API_KEY missing"):
        await start_gateway(settings, None)


async def test_development_warns_about_a_missing_key(
    openai_app: FastAPI, log_output: LogOutput
) -> None:
    async with lifespan_client(openai_app):
        pass

    (warning,) = log_output.events("model_api_key_missing")
    assert warning["variables"] == ["APP_OPENAI_API_KEY"]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("version = ", "not valid TOML"),
        (
            'version = "1"\n[aliases.default]\ndeployments = ["nope"]\n',
            "deployments: Field required",
        ),
        (
            OPENAI_MODELS.replace('provider = "openai"', 'provider = "acme"'),
            "deployments.primary.provider",
        ),
        (
            OPENAI_MODELS + "[deployments.primary.timeouts]\ntotal_seconds = -1\n",
            "deployments.primary.timeouts.total_seconds",
        ),
        (
            OPENAI_MODELS.replace('deployments = ["primary"]', 'deployments = ["missing"]'),
            "unknown deployment 'missing'",
        ),
    ],
)
async def test_an_invalid_models_file_names_the_file_and_field(
    tmp_path: Path, text: str, message: str
) -> None:
    path = models_file(tmp_path, text)

    with pytest.raises(ModelConfigError, match=str(path)) as raised:
        await start_gateway(make_settings(models_file=path), None)

    assert message in str(raised.value)


async def test_a_task_with_an_unknown_alias_stops_start_up(tmp_path: Path) -> None:
    only_cheap = 'version = "1"\n[deployments.f]\nprovider = "fake"\nmodel = "fake-1"\n'
    only_cheap += '[aliases.cheap]\ndeployments = ["f"]\n'
    app: FastAPI = create_app(make_settings(models_file=models_file(tmp_path, only_cheap)))

    with pytest.raises(ModelConfigError, match="no alias default, which tasks use"):
        async with lifespan_client(app):
            pass


@pytest.mark.parametrize("key", [None, ""])
async def test_an_unset_or_empty_key_is_missing_for_service_and_evals(
    tmp_path: Path, key: str | None
) -> None:
    path = models_file(tmp_path, OPENAI_MODELS)
    settings = make_settings(models_file=path, prices_file=PRICES_FILE, openai_api_key=key)

    setup = load_model_setup(settings)

    assert setup.missing_keys == ["APP_OPENAI_API_KEY"]
    with pytest.raises(ModelConfigError, match="APP_OPENAI_API_KEY missing"):
        await start_gateway(settings.model_copy(update={"env": AppEnv.PRODUCTION}), None)


async def test_a_set_key_is_not_missing(tmp_path: Path) -> None:
    path = models_file(tmp_path, OPENAI_MODELS)
    settings = make_settings(models_file=path, prices_file=PRICES_FILE, openai_api_key="sk-x")

    assert load_model_setup(settings).missing_keys == []
