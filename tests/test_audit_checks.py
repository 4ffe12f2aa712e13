"""Checks on small made-up repositories: each one passes the right thing and fails the wrong one."""

from __future__ import annotations

from pathlib import Path

import pytest

from cookiecutter_ai_service.checks import CHECKS_BY_ID, Failure
from cookiecutter_ai_service.checks.base import version_tuple
from cookiecutter_ai_service.repo import Repo

MODELS = """version = "1"
[deployments.main]
provider = "openai"
model = "gpt-4.1-mini-2025-04-14"
timeouts = { connect_seconds = 5.0, total_seconds = 60.0 }
[aliases.default]
deployments = ["main"]
"""
PRICES = """version = "1"
[prices."openai/gpt-4.1-mini-2025-04-14"]
input_usd_per_million_tokens = 0.4
output_usd_per_million_tokens = 1.6
"""


def outcome(tmp_path: Path, check: str, files: dict[str, str]) -> bool | str | None:
    for name, text in files.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return CHECKS_BY_ID[check].run(Repo(tmp_path))


def test_model_config_that_follows_the_rules_passes(tmp_path: Path) -> None:
    files = {"config/models.toml": MODELS, "config/prices.toml": PRICES}
    for check in ("MDL001", "MDL002", "MDL003", "MDL004", "MDL006"):
        assert outcome(tmp_path, check, files) is True, check


@pytest.mark.parametrize(
    ("check", "old", "new", "expected"),
    [
        ("MDL002", 'model = "gpt-4.1-mini-2025-04-14"', 'model = "gpt-4o-latest"', "gpt-4o-latest"),
        ("MDL002", 'model = "gpt-4.1-mini-2025-04-14"', 'model = ""', "Unpinned"),
        ("MDL003", "total_seconds = 60.0", "total_seconds = 0", "positive number"),
        ("MDL003", "total_seconds = 60.0", "read_seconds = 9", "unknown timeout"),
        ("MDL006", 'deployments = ["main"]', 'deployments = ["gone"]', "unknown gone"),
        ("MDL001", 'version = "1"\n', "", "no `version`"),
    ],
)
def test_model_config_mistakes_are_named(
    tmp_path: Path, check: str, old: str, new: str, expected: str
) -> None:
    result = outcome(
        tmp_path,
        check,
        {"config/models.toml": MODELS.replace(old, new, 1), "config/prices.toml": PRICES},
    )
    assert isinstance(result, Failure) and expected in result, result


def test_every_deployment_needs_a_price(tmp_path: Path) -> None:
    models = (
        MODELS + '[deployments.small]\nprovider = "openai"\nmodel = "gpt-4.1-nano-2025-04-14"\n'
    )
    result = outcome(
        tmp_path, "MDL004", {"config/models.toml": models, "config/prices.toml": PRICES}
    )
    assert isinstance(result, Failure) and "openai/gpt-4.1-nano-2025-04-14" in result


def test_provider_sdk_outside_the_gateway_fails(tmp_path: Path) -> None:
    files = {
        "src/svc/__init__.py": "",
        "src/svc/llm/providers/openai.py": "import httpx\nURL = 'https://api.openai.com/v1'\n",
        "src/svc/llm/providers/vendor.py": "import anthropic\n",
    }
    assert outcome(tmp_path, "MDL005", files) is True
    files["src/svc/tasks/summarize.py"] = "from openai import AsyncOpenAI\n"
    result = outcome(tmp_path, "MDL005", files)
    assert isinstance(result, Failure) and result.path == "src/svc/tasks/summarize.py"
    files["src/svc/tasks/summarize.py"] = (
        "import httpx\nhttpx.post('https://api.anthropic.com/v1')\n"
    )
    assert isinstance(outcome(tmp_path, "MDL005", files), Failure)


def test_print_in_service_code_but_not_in_the_cli(tmp_path: Path) -> None:
    files = {
        "src/svc/__init__.py": "",
        "src/svc/__main__.py": "print('usage')\n",
        "src/svc/report.py": "print('x')  # noqa: T201\n",
    }
    assert outcome(tmp_path, "LOG002", files) is True
    files["src/svc/worker.py"] = "def run():\n    print('started')\n"
    result = outcome(tmp_path, "LOG002", files)
    assert isinstance(result, Failure) and (result.path, result.line) == ("src/svc/worker.py", 2)


@pytest.mark.parametrize(
    ("dockerfile", "check", "passes"),
    [
        ("FROM python:3.12-slim\nUSER 10001\n", "DKR002", True),
        ("FROM python:3.12-slim AS build\nUSER app\nFROM python:3.12-slim\n", "DKR002", False),
        ("FROM python:3.12-slim\nUSER root\n", "DKR002", False),
        ("FROM python\n", "DKR004", False),
        ("FROM python:latest\n", "DKR004", False),
        ("ARG V=3.12\nFROM python:${V}-slim AS b\nFROM b\n", "DKR004", True),
        ("FROM python:3.12-slim\nHEALTHCHECK NONE\n", "DKR003", False),
        ("FROM python:3.12\nHEALTHCHECK CMD curl -f http://localhost/healthz\n", "HLT003", True),
    ],
)
def test_dockerfile_checks(tmp_path: Path, dockerfile: str, check: str, passes: bool) -> None:
    result = outcome(tmp_path, check, {"Dockerfile": dockerfile})
    assert (result is True) == passes, result


def test_unpinned_github_action_and_missing_timeout(tmp_path: Path) -> None:
    workflow = (
        "on: push\npermissions:\n  contents: read\njobs:\n  test:\n    runs-on: ubuntu-latest\n"
        "    steps:\n      - uses: actions/checkout@v5\n      - run: pytest\n"
    )
    files = {".github/workflows/ci.yml": workflow}
    pinned = outcome(tmp_path, "CI005", files)
    assert isinstance(pinned, Failure) and "actions/checkout@v5" in pinned
    timeouts = outcome(tmp_path, "CI006", files)
    assert isinstance(timeouts, Failure) and "test" in timeouts
    assert outcome(tmp_path, "CI004", files) is True
    assert outcome(tmp_path, "CI007", files) is True


def test_gitlab_jobs_inherit_scripts_and_need_pinned_images(tmp_path: Path) -> None:
    pipeline = (
        "default:\n  image: python:3.12\n  timeout: 15 minutes\n"
        ".base:\n  script:\n    - uv run mypy\n"
        "typecheck:\n  extends: .base\n"
        "test:\n  image: postgres\n  script:\n    - pytest\n"
    )
    files = {".gitlab-ci.yml": pipeline}
    assert outcome(tmp_path, "CI003", files) is True  # through extends
    assert outcome(tmp_path, "CI006", files) is True  # the default timeout
    images = outcome(tmp_path, "CI008", files)
    assert isinstance(images, Failure) and "postgres" in images


@pytest.mark.parametrize(
    ("line", "leaks"),
    [
        ('API_KEY = "9f8e7d6c5b4a39281706f5e4d3c2b1a0"', True),
        ("AWS_KEY = 'AKIAZ7Q3XR9VB2MK7PL4'", True),
        ('TOKEN = "ghp_' + "a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8" + '"', True),
        ('SECRET_KEY = "change-me-to-something-long-and-random-123"', False),
        ("KEY = secrets.token_urlsafe(48)", False),
        ('AWS_KEY = "AKIAIOSFODNN7EXAMPLE"', False),
        ('API_KEY = "9f8e7d6c5b4a39281706f5e4d3c2b1a0"  # pragma: allowlist secret', False),
    ],
)
def test_hard_coded_secrets(tmp_path: Path, line: str, leaks: bool) -> None:
    result = outcome(tmp_path, "SEC002", {"src/svc/__init__.py": "", "src/svc/keys.py": line})
    assert (result is not True) == leaks, result


def test_fake_keys_in_tests_are_fine_but_private_keys_never(tmp_path: Path) -> None:
    files = {"tests/test_x.py": 'KEY = "sk-abcdefghijklmnop1234567890"\n'}
    assert outcome(tmp_path, "SEC002", files) is True
    # Assembled here so this file does not itself hold a key header.
    files["tests/fixture.pem"] = "-----BEGIN RSA " + "PRIVATE KEY-----\nMIIB\n"
    result = outcome(tmp_path, "SEC001", files)
    assert isinstance(result, Failure) and result.path == "tests/fixture.pem"


def test_env_must_be_ignored(tmp_path: Path) -> None:
    assert isinstance(outcome(tmp_path, "SEC003", {".gitignore": "var/\n"}), Failure)
    assert outcome(tmp_path, "SEC003", {".gitignore": "var/\n/.env\n"}) is True


def test_applicability_follows_answers_and_versions() -> None:
    docker, evals = CHECKS_BY_ID["DKR001"], CHECKS_BY_ID["EVL001"]
    assert docker.applies({}) and evals.applies({})  # unknown answers: everything applies
    assert not docker.applies({"docker": "no"})
    assert not evals.applies({"_template_version": "0.2.0"})
    assert evals.applies({"_template_version": "0.3.0"})
    assert not CHECKS_BY_ID["CI005"].applies({"ci_provider": "gitlab"})
    assert version_tuple("0.10.1rc1") > version_tuple("0.9")
