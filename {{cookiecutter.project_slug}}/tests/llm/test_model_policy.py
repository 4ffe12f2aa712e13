"""Production refuses aliases that can end on the fake provider and model ids that move."""

from __future__ import annotations

from pathlib import Path

import pytest

from {{ cookiecutter.package_name }}.core.logging import configure_logging
from {{ cookiecutter.package_name }}.core.settings import AppEnv, Settings
from {{ cookiecutter.package_name }}.llm.config import ModelConfigError, load_models_config
from {{ cookiecutter.package_name }}.llm.model_policy import moving_reason, policy_problems
from {{ cookiecutter.package_name }}.llm.setup import check_model_setup, start_gateway

from ..factories import PRODUCTION_MODELS, PROJECT_DIR, LogOutput, production_settings

# As a new user would: a local OpenAI-compatible server in front of the shipped fake fallback.
LOCAL_IN_FRONT_OF_FAKE = """
version = "1"
[deployments.local]
provider = "openai"
model = "gpt-4.1-mini-2025-04-14"
base_url = "http://127.0.0.1:9/v1"
[deployments.fake-fallback]
provider = "fake"
model = "fake-1-mini"
[aliases.default]
deployments = ["local"]
over_budget_alias = "cheap"
[aliases.cheap]
deployments = ["local", "fake-fallback"]
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "models.toml"
    path.write_text(text)
    return path


async def test_production_refuses_an_alias_that_can_reach_fake_naming_it_and_the_chain(
    tmp_path: Path,
) -> None:
    settings = production_settings(tmp_path, models_file=write(tmp_path, LOCAL_IN_FRONT_OF_FAKE))

    with pytest.raises(ModelConfigError) as refused:
        await start_gateway(settings, None)

    message = str(refused.value)
    # `default` reaches fake only through its over-budget alias: the chain shows how.
    assert "alias 'default' can be served by the offline fake provider" in message
    assert "(chain: local -> fake-fallback)" in message
    assert "alias 'cheap'" in message


@pytest.fixture(params=[AppEnv.DEVELOPMENT, AppEnv.TEST, AppEnv.STAGING])
def non_production(
    request: pytest.FixtureRequest, tmp_path: Path, log_output: LogOutput
) -> Settings:
    """Made in a fixture: pytest swaps sys.stdout back at the start of the test's call."""
    models = write(tmp_path, LOCAL_IN_FRONT_OF_FAKE)
    settings = production_settings(tmp_path, env=request.param, models_file=models)
    configure_logging(settings)
    return settings


async def test_other_environments_start_but_warn(
    non_production: Settings, log_output: LogOutput
) -> None:
    gateway = await start_gateway(non_production, None)
    await gateway.aclose()
    await gateway.recorder.aclose()

    (warning,) = log_output.events("model_config_not_for_production")
    assert any("alias 'cheap'" in problem for problem in warning["problems"])


async def test_production_accepts_pinned_models_without_fake(tmp_path: Path) -> None:
    gateway = await start_gateway(production_settings(tmp_path), None)
    await gateway.aclose()
    await gateway.recorder.aclose()


@pytest.mark.parametrize(
    "model", ["gpt-4o-latest", "gemini-2.5-pro-preview-05-06", "claude-sonnet-4-5", "llama3"]
)
async def test_production_refuses_a_moving_model_unless_allowed_with_a_reason(
    tmp_path: Path, model: str
) -> None:
    text = PRODUCTION_MODELS.replace("gpt-4.1-mini-2025-04-14", model)
    prices = tmp_path / "prices.toml"
    price = "input_usd_per_million_tokens = 1\noutput_usd_per_million_tokens = 1\n"
    prices.write_text(f'version = "1"\n[prices."openai/{model}"]\n{price}')
    settings = production_settings(tmp_path, models_file=write(tmp_path, text), prices_file=prices)

    with pytest.raises(ModelConfigError, match=f"deployment 'primary': openai/{model}"):
        check_model_setup(settings)

    reason = 'allow_moving_model = "local vLLM, pinned by its image"\n'
    allowed = text.replace("[aliases", reason + "[aliases")
    assert policy_problems(load_models_config(write(tmp_path, allowed)).config) == []


@pytest.mark.parametrize(
    ("model", "moving"),
    [
        ("gpt-4.1-mini-2025-04-14", False),
        ("claude-haiku-4-5-20251001", False),
        ("gpt-4o-mini-search-preview-2025-03-11", True),
        ("chatgpt-4o-latest", True),
        ("gpt-4.1-mini", True),
        ("mistral-large-2411", True),
    ],
)
def test_only_a_dated_snapshot_without_preview_or_latest_is_fixed(model: str, moving: bool) -> None:
    assert (moving_reason(model) is not None) is moving


def test_the_projects_models_file_is_fit_for_production_unless_it_is_the_offline_fake() -> None:
    config = load_models_config(PROJECT_DIR / "config" / "models.toml").config
    problems = policy_problems(config)
    if any(d.provider == "fake" for d in config.deployments.values()):
        assert problems
        assert all("offline fake provider" in problem for problem in problems)
    else:
        assert problems == []
