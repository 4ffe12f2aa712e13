"""The key each deployment sends, named per deployment and read like every other setting.

A deployment's `api_key_setting` in config/models.toml names the setting that holds its key: an
`APP_*` variable, a line of `.env`, or a file named like it (lower case) in the secrets
directory. Unset, it is the provider's (`APP_OPENAI_API_KEY`, `APP_ANTHROPIC_API_KEY`); `"none"`
is a server that takes no key, such as a local vLLM, Ollama or llama.cpp.
"""

from __future__ import annotations

from collections.abc import Mapping

from pydantic import SecretStr, create_model
from pydantic_settings import BaseSettings

from ..core.settings import ENV_PREFIX, Settings, secrets_directory
from .config import NO_KEY, DeploymentConfig, ModelConfigError

PROVIDER_KEY_SETTINGS = {"openai": "APP_OPENAI_API_KEY", "anthropic": "APP_ANTHROPIC_API_KEY"}


class KeySettings(BaseSettings):
    model_config = Settings.model_config


def key_setting(deployment: DeploymentConfig) -> str | None:
    """The setting holding the deployment's key; None when it sends no key."""
    if deployment.api_key_setting == NO_KEY or deployment.provider not in PROVIDER_KEY_SETTINGS:
        return None
    return deployment.api_key_setting or PROVIDER_KEY_SETTINGS[deployment.provider]


def read_key_settings(settings: Settings, names: set[str]) -> dict[str, SecretStr | None]:
    values: dict[str, SecretStr | None] = {
        "APP_OPENAI_API_KEY": settings.openai_api_key,
        "APP_ANTHROPIC_API_KEY": settings.anthropic_api_key,
    }
    others = sorted(names - set(values))
    if others:
        fields: dict[str, object] = {
            name.removeprefix(ENV_PREFIX).lower(): (SecretStr | None, None) for name in others
        }
        model = create_model("DeploymentKeys", __base__=KeySettings, **fields)  # type: ignore[call-overload]
        loaded = model(_secrets_dir=secrets_directory())
        values |= {name: getattr(loaded, name.removeprefix(ENV_PREFIX).lower()) for name in others}
    return values


def deployment_keys(
    settings: Settings, deployments: Mapping[str, DeploymentConfig]
) -> tuple[dict[str, SecretStr | None], list[str]]:
    """The key of each deployment, and the settings that are needed but unset or empty."""
    settings_of = {name: key_setting(deployment) for name, deployment in deployments.items()}
    for name, setting in settings_of.items():
        refuse_other_settings(name, setting)
    values = read_key_settings(settings, {s for s in settings_of.values() if s is not None})
    keys = {name: values[s] if s is not None else None for name, s in settings_of.items()}
    # An unset CI secret arrives as an empty variable: as missing as no variable at all.
    missing = sorted({s for s in settings_of.values() if s is not None and not is_set(values[s])})
    return keys, missing


def refuse_other_settings(deployment: str, setting: str | None) -> None:
    """A key setting must not be another setting of the service: a typo would send, say, the
    signing key or the database URL to a model server."""
    if setting is None or setting in PROVIDER_KEY_SETTINGS.values():
        return
    if setting.removeprefix(ENV_PREFIX).lower() in Settings.model_fields:
        own = f"{ENV_PREFIX}{deployment.upper().replace('-', '_')}_API_KEY"
        msg = (
            f"deployments.{deployment}.api_key_setting: {setting} is a setting of the service, "
            f"not a key; name a setting of its own, e.g. {own}"
        )
        raise ModelConfigError(msg)


def is_set(secret: SecretStr | None) -> bool:
    return secret is not None and bool(secret.get_secret_value())
