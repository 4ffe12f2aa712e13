"""One key setting per deployment, or none for a keyless local server (llm/keys.py)."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import SecretStr

from {{ cookiecutter.package_name }}.core.settings import AppEnv
from {{ cookiecutter.package_name }}.llm.config import ModelConfigError, load_models_config
from {{ cookiecutter.package_name }}.llm.keys import deployment_keys
from {{ cookiecutter.package_name }}.llm.providers import build_client
from {{ cookiecutter.package_name }}.llm.setup import start_gateway, stop_gateway
from {{ cookiecutter.package_name }}.llm.types import Message, ModelRequest

from ..factories import make_settings
from .wire_servers import Reply, WireServer

pytestmark = pytest.mark.usefixtures("no_env_file")
VLLM_KEY = "vllm-key-0123456789abcdefghijklmnopqrstuvwxyz"


def models_toml(tmp_path: Path, base_url: str = "http://127.0.0.1:1/v1") -> Path:
    path = tmp_path / "models.toml"
    path.write_text(
        f"""
version = "1"
[deployments.hosted]
provider = "openai"
model = "gpt-4.1-mini-2025-04-14"
[deployments.vllm]
provider = "openai"
model = "llama-3.1-8b-instruct"
base_url = "{base_url}"
api_key_setting = "APP_VLLM_API_KEY"
[deployments.ollama]
provider = "openai"
model = "qwen2.5:7b"
base_url = "{base_url}"
api_key_setting = "none"
[deployments.fake]
provider = "fake"
model = "fake-1"
[aliases.default]
deployments = ["vllm", "ollama", "hosted", "fake"]
"""
    )
    return path


def prices_toml(tmp_path: Path) -> Path:
    path = tmp_path / "prices.toml"
    models = ["openai/gpt-4.1-mini-2025-04-14", "openai/llama-3.1-8b-instruct"]
    models += ["openai/qwen2.5:7b", "fake/fake-1"]
    path.write_text(
        'version = "1"\n'
        + "".join(
            f'[prices."{m}"]\ninput_usd_per_million_tokens = 0.0\n'
            "output_usd_per_million_tokens = 0.0\n"
            for m in models
        )
    )
    return path


def test_each_deployment_reads_its_own_setting(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("APP_VLLM_API_KEY", VLLM_KEY)
    settings = make_settings(openai_api_key=SecretStr("sk-hosted"))
    deployments = load_models_config(models_toml(tmp_path)).config.deployments

    keys, missing = deployment_keys(settings, deployments)

    assert {name: k.get_secret_value() if k else None for name, k in keys.items()} == {
        "hosted": "sk-hosted",
        "vllm": VLLM_KEY,
        "ollama": None,
        "fake": None,
    }
    assert missing == []


def test_a_key_comes_from_a_secret_file_too(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    secrets = tmp_path / "secrets"
    secrets.mkdir()
    (secrets / "app_vllm_api_key").write_text(VLLM_KEY)
    monkeypatch.setenv("APP_SECRETS_DIR", str(secrets))
    deployments = load_models_config(models_toml(tmp_path)).config.deployments

    keys, missing = deployment_keys(make_settings(), deployments)

    assert keys["vllm"] is not None
    assert keys["vllm"].get_secret_value() == VLLM_KEY
    assert missing == ["APP_OPENAI_API_KEY"]  # `hosted`; the keyless one needs nothing


def test_missing_and_empty_settings_are_named(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("APP_VLLM_API_KEY", "")  # an unset CI secret arrives empty
    deployments = load_models_config(models_toml(tmp_path)).config.deployments

    _, missing = deployment_keys(make_settings(), deployments)

    assert missing == ["APP_OPENAI_API_KEY", "APP_VLLM_API_KEY"]


@pytest.mark.parametrize("setting", ["vllm_key", "APP_", "APP_vllm", "NONE", "OPENAI_API_KEY"])
def test_a_key_setting_must_be_an_app_variable_or_none(tmp_path: Path, setting: str) -> None:
    path = models_toml(tmp_path)
    path.write_text(path.read_text().replace('"APP_VLLM_API_KEY"', f'"{setting}"'))

    with pytest.raises(ModelConfigError, match=r"deployments\.vllm\.api_key_setting"):
        load_models_config(path)


def single_deployment(tmp_path: Path, key_setting: str) -> Path:
    models = tmp_path / "models.toml"
    models.write_text(
        'version = "1"\n[deployments.local]\nprovider = "openai"\nmodel = "qwen2.5:7b"\n'
        f'base_url = "http://127.0.0.1:1/v1"\napi_key_setting = "{key_setting}"\n'
        'allow_moving_model = "a local test server"\n'
        '[aliases.default]\ndeployments = ["local"]\n'
    )
    return models


@pytest.mark.parametrize("setting", ["APP_SECRET_KEY", "APP_DATABASE_URL", "APP_MODELS_FILE"])
def test_a_key_setting_cannot_be_another_setting_of_the_service(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, setting: str
) -> None:
    monkeypatch.setenv(setting, "whatever-it-holds")
    path = models_toml(tmp_path)
    path.write_text(path.read_text().replace('"APP_VLLM_API_KEY"', f'"{setting}"'))
    deployments = load_models_config(path).config.deployments

    with pytest.raises(ModelConfigError, match=f"{setting} is a setting of the service, not a key"):
        deployment_keys(make_settings(), deployments)


async def test_production_refuses_a_deployment_whose_key_setting_is_unset(tmp_path: Path) -> None:
    models = single_deployment(tmp_path, "APP_VLLM_API_KEY")
    settings = make_settings(
        env=AppEnv.PRODUCTION, models_file=models, prices_file=prices_toml(tmp_path)
    )

    with pytest.raises(ModelConfigError, match="APP_VLLM_API_KEY missing"):
        await start_gateway(settings, None)


async def test_production_accepts_a_keyless_local_server(tmp_path: Path) -> None:
    models = single_deployment(tmp_path, "none")
    settings = make_settings(
        env=AppEnv.PRODUCTION, models_file=models, prices_file=prices_toml(tmp_path)
    )

    gateway = await start_gateway(settings, None)
    await stop_gateway(gateway)


async def test_each_server_receives_its_own_key_or_none(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, openai_server: WireServer
) -> None:
    monkeypatch.setenv("APP_VLLM_API_KEY", VLLM_KEY)
    deployments = load_models_config(
        models_toml(tmp_path, f"{openai_server.url}/v1")
    ).config.deployments
    keys, _ = deployment_keys(make_settings(), deployments)
    request = ModelRequest(messages=(Message(role="user", content="hello"),))

    for name in ("vllm", "ollama"):
        openai_server.queue(Reply(text="hi"))
        client = build_client(deployments[name], keys[name])
        try:
            await client.generate(request)
        finally:
            await client.aclose()

    vllm, ollama = openai_server.received
    assert vllm.headers["authorization"] == f"Bearer {VLLM_KEY}"
    assert "authorization" not in ollama.headers
