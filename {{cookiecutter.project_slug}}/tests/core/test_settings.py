from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import SecretStr, ValidationError

from {{ cookiecutter.package_name }}.core.settings import AppEnv, LogFormat, Settings, load_settings

from ..factories import make_settings

STRONG_KEY = "k" * 16 + "9f8e7d6c5b4a3f2e1d0c"


def test_environment_variables_use_the_app_prefix(
    monkeypatch: pytest.MonkeyPatch, no_env_file: None
) -> None:
    monkeypatch.setenv("APP_PORT", "9001")
    monkeypatch.setenv("APP_ENV", "staging")

    settings = load_settings()

    assert settings.port == 9001
    assert settings.env is AppEnv.STAGING


def test_dotenv_file_is_read_in_the_working_directory(
    monkeypatch: pytest.MonkeyPatch, no_env_file: None
) -> None:
    Path(".env").write_text("APP_SERVICE_NAME=from-dotenv\n", encoding="utf-8")

    assert load_settings().service_name == "from-dotenv"


def test_secret_files_are_read_from_the_secrets_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, no_env_file: None
) -> None:
    secrets = tmp_path / "secrets"
    secrets.mkdir()
    (secrets / "app_secret_key").write_text(STRONG_KEY, encoding="utf-8")
    monkeypatch.setenv("APP_SECRETS_DIR", str(secrets))

    assert load_settings().secret_key.get_secret_value() == STRONG_KEY


def test_invalid_value_names_the_field(monkeypatch: pytest.MonkeyPatch, no_env_file: None) -> None:
    monkeypatch.setenv("APP_PORT", "not-a-port")

    with pytest.raises(ValidationError, match="port"):
        load_settings()


@pytest.mark.parametrize(
    ("secret_key", "problem"),
    [
        ("change-me", "is a placeholder"),
        ("", "is missing"),
        ("short-random-Q7x", "is shorter than 32 characters"),
    ],
)
def test_production_refuses_weak_secret_key(secret_key: str, problem: str) -> None:
    with pytest.raises(ValidationError, match=f"APP_SECRET_KEY {problem}"):
        make_settings(env=AppEnv.PRODUCTION, secret_key=secret_key)


def test_production_refuses_default_database_password() -> None:
    with pytest.raises(ValidationError, match="APP_DATABASE_URL has a default password"):
        make_settings(
            env=AppEnv.PRODUCTION,
            secret_key=STRONG_KEY,
            database_url="postgresql+asyncpg://app:postgres@db:5432/app",
        )


def test_production_accepts_real_secrets() -> None:
    settings = make_settings(
        env=AppEnv.PRODUCTION,
        secret_key=STRONG_KEY,
        database_url="postgresql+asyncpg://app:Zq8-long-random-pw@db:5432/app",
    )

    assert settings.env is AppEnv.PRODUCTION
    assert settings.effective_docs_enabled is False


def test_development_allows_the_placeholder_key() -> None:
    settings = make_settings(env=AppEnv.DEVELOPMENT, log_format=None, secret_key="change-me")

    assert settings.effective_log_format is LogFormat.CONSOLE


@pytest.mark.parametrize(
    ("env", "expected"),
    [(AppEnv.DEVELOPMENT, LogFormat.CONSOLE), (AppEnv.STAGING, LogFormat.JSON)],
)
def test_log_format_follows_the_environment(env: AppEnv, expected: LogFormat) -> None:
    assert make_settings(env=env, log_format=None).effective_log_format is expected


def test_validation_errors_do_not_echo_the_secret() -> None:
    with pytest.raises(ValidationError) as error:
        make_settings(env=AppEnv.PRODUCTION, secret_key="short-random-Q7x")

    assert "short-random-Q7x" not in str(error.value)


def test_secrets_are_masked_in_repr_and_dump() -> None:
    settings = make_settings(database_url="postgresql+asyncpg://u:hunter22@db/app")

    assert "hunter22" not in repr(settings)
    assert "hunter22" not in str(settings.model_dump())
    assert isinstance(settings.secret_key, SecretStr)
    assert "hunter22" in settings.secret_values()


def test_settings_are_immutable() -> None:
    settings = make_settings()

    with pytest.raises(ValidationError):
        settings.port = 1  # type: ignore[misc]


def test_unknown_setting_is_ignored_not_fatal(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("APP_NOT_A_SETTING", "1")

    assert isinstance(Settings(_env_file=None), Settings)
