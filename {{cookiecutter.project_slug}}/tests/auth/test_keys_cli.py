"""`python -m {{ cookiecutter.package_name }} keys ...`: the key is printed once, then only its id."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest

from {{ cookiecutter.package_name }}.__main__ import main
from {{ cookiecutter.package_name }}.core import migrations

from ..factories import OFFLINE_MODELS_FILE, PRICES_FILE, make_settings


@pytest.fixture
def cli_database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.chdir(tmp_path)
    url = f"sqlite+aiosqlite:///{tmp_path / 'keys.db'}"
    for name, value in {
        "APP_DATABASE_URL": url,
        "APP_ENV": "test",
        "APP_MODELS_FILE": str(OFFLINE_MODELS_FILE),
        "APP_PRICES_FILE": str(PRICES_FILE),
    }.items():
        monkeypatch.setenv(name, value)
    migrations.upgrade(make_settings(database_url=url))
    return url


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_create_list_rotate_revoke(cli_database: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(
        capsys,
        "keys",
        "create",
        "--name",
        "ci",
        "--role",
        "caller",
        "--tasks",
        "triage_ticket",
        "--rpm",
        "60",
        "--tpm",
        "10000",
        "--daily-budget-usd",
        "2.5",
        "--expires-in",
        "30d",
    )
    assert code == 0
    info = json.loads(out.splitlines()[0])
    key = out.strip().splitlines()[-1]
    prefix = make_settings().api_key_prefix
    assert key.startswith(prefix + "_")
    assert (info["role"], info["tasks"], info["requests_per_minute"]) == (
        "caller",
        ["triage_ticket"],
        60,
    )
    assert Decimal(info["daily_budget_usd"]) == Decimal("2.5")
    assert info["expires_at"] is not None

    code, listed, _ = run(capsys, "keys", "list")
    assert key not in listed
    assert info["key_id"] in listed

    code, rotated, _ = run(capsys, "keys", "rotate", info["key_id"])
    new_key = rotated.strip().splitlines()[-1]
    assert code == 0
    assert new_key != key
    assert new_key.startswith(prefix + "_")

    code, revoked, _ = run(capsys, "keys", "revoke", json.loads(rotated.splitlines()[0])["key_id"])
    assert code == 0
    assert json.loads(revoked)["revoked_at"] is not None
    assert prefix + "_" not in revoked  # Revoking shows no key.

    code, events, _ = run(capsys, "audit", "verify")
    assert code == 0
    assert "3 events" in events  # created, rotated, revoked


def test_unknown_key_and_bad_arguments_are_clear(
    cli_database: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(capsys, "keys", "revoke", "nosuchkey")
    assert code == 1
    assert "no API key 'nosuchkey'" in err
    code, _, err = run(
        capsys, "keys", "create", "--name", "x", "--role", "caller", "--tasks", "nope"
    )
    assert code == 2
    assert "no task named nope" in err
    with pytest.raises(SystemExit) as exited:
        main(["keys", "create", "--name", "x", "--role", "root"])
    assert exited.value.code == 2
    with pytest.raises(SystemExit):
        main(["keys", "create", "--name", "x", "--role", "viewer", "--expires-in", "soon"])


def test_prune_keeps_the_trail_verifiable(
    cli_database: str, capsys: pytest.CaptureFixture[str]
) -> None:
    run(capsys, "keys", "create", "--name", "a", "--role", "viewer")
    code, out, _ = run(capsys, "audit", "prune", "--before", "2999-01-01")
    assert (code, "Pruned 1 events" in out) == (0, True)
    code, out, _ = run(capsys, "audit", "verify")
    assert (code, "1 events" in out) == (0, True)
