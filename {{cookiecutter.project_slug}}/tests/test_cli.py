from __future__ import annotations

import json
from pathlib import Path

import pytest

from {{ cookiecutter.package_name }}.__main__ import main

from .factories import OFFLINE_MODELS_FILE, PRICES_FILE, TEST_SECRET_KEY


@pytest.fixture
def sqlite_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.chdir(tmp_path)
    url = f"sqlite+aiosqlite:///{tmp_path / 'cli.db'}"
    monkeypatch.setenv("APP_DATABASE_URL", url)
    monkeypatch.setenv("APP_ENV", "test")
    monkeypatch.setenv("APP_MODELS_FILE", str(OFFLINE_MODELS_FILE))
    monkeypatch.setenv("APP_PRICES_FILE", str(PRICES_FILE))
    return url


def test_check_config_prints_settings_with_secrets_masked(
    sqlite_env: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("APP_SECRET_KEY", TEST_SECRET_KEY)
    monkeypatch.setenv("APP_DATABASE_URL", "postgresql+asyncpg://u:db-pw-123@db/app")

    assert main(["check-config"]) == 0

    output = capsys.readouterr().out
    shown = json.loads(output[output.index("{") : output.rindex("}") + 1])
    assert shown["env"] == "test"
    assert shown["database_url"] == "postgresql+asyncpg://u:***@db/app"
    assert shown["secret_key"] == "**********"
    assert shown["models"]["providers_by_alias"] == {"default": ["fake"], "cheap": ["fake"]}
    assert TEST_SECRET_KEY not in output
    assert "db-pw-123" not in output


def test_bad_configuration_exits_2_naming_the_variable(
    sqlite_env: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("APP_ENV", "production")
    monkeypatch.setenv("APP_SECRET_KEY", "change-me")

    assert main(["check-config"]) == 2

    error = capsys.readouterr().err
    assert "Configuration error: APP_SECRET_KEY is a placeholder" in error
    assert "change-me" not in error


def test_bad_models_file_exits_2_naming_the_field(
    sqlite_env: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    models = tmp_path / "models.toml"
    models.write_text('version = "1"\n[aliases.default]\ndeployments = []\n')
    monkeypatch.setenv("APP_MODELS_FILE", str(models))

    assert main(["check-config"]) == 2

    error = capsys.readouterr().err
    assert f"Model configuration error: {models}: deployments: Field required" in error
    assert "aliases.default.deployments" in error


def test_wrong_type_names_the_variable(
    sqlite_env: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("APP_PORT", "eighty")

    assert main(["check-config"]) == 2

    assert "Configuration error: APP_PORT:" in capsys.readouterr().err


def test_migrate_and_check_migrations(sqlite_env: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["migrate"]) == 0
    assert main(["check-migrations"]) == 0
    assert "no drift" in capsys.readouterr().out
    assert main(["migrate", "--downgrade"]) == 2
    assert "needs --revision" in capsys.readouterr().err
    assert main(["migrate", "--downgrade", "--revision", "base"]) == 0


def test_unknown_command_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["fly"])

    assert exit_info.value.code == 2
    assert "invalid choice" in capsys.readouterr().err
