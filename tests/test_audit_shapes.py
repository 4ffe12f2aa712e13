"""The shapes real repositories take, each on a small made-up repository: the checks decide by
what a thing does (a CI step through make or a hook, a health handler that queries the
database), wherever it lives (a service in backend/, a Dockerfile in docker/)."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from cookiecutter_ai_service.checks import CHECKS_BY_ID, Failure, Skip
from cookiecutter_ai_service.repo import Repo

from .auditing import audit, results

APP = "from fastapi import FastAPI\n\napp = FastAPI()\n"
WORKFLOW = """on: push
permissions:
  contents: read
jobs:
  check:
    runs-on: ubuntu-latest
    timeout-minutes: 10
    steps:
      - uses: actions/checkout@08c6903cd8c0fde910a37f88322edcfb5dd907a8
{steps}
"""


def write(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return root


def run(root: Path, check: str, files: dict[str, str], service: str | None = None) -> object:
    return CHECKS_BY_ID[check].run(Repo(write(root, files), service))


def ci(*runs: str, extra: str = "") -> str:
    steps = "".join(f"      - run: {line}\n" for line in runs)
    return WORKFLOW.format(steps=steps + extra)


# -- the service root ------------------------------------------------------------------------


def test_the_service_root_is_the_project_whose_code_creates_the_app(tmp_path: Path) -> None:
    files = {
        "pyproject.toml": "[tool.uv.workspace]\nmembers = ['backend']\n",
        "backend/pyproject.toml": "[project]\nname = 'api'\n",
        "backend/app/__init__.py": "",
        "backend/app/main.py": APP,
        "scripts/release.py": "print('tagging')\n",
        "sdk/gen/app.py": "from fastapi import FastAPI\napp = FastAPI()\n",
    }
    repo = Repo(write(tmp_path, files))
    assert repo.service == "backend"
    assert repo.service_python_files == ("backend/app/__init__.py", "backend/app/main.py")
    assert Repo(tmp_path, "sdk/gen").service == "sdk/gen"  # --service-root wins


def test_a_path_below_the_git_top_level_is_the_service(tmp_path: Path) -> None:
    write(tmp_path, {"server/pyproject.toml": "", "server/api/__init__.py": "", ".gitignore": ""})
    write(tmp_path, {"server/api/app.py": APP, ".github/workflows/ci.yml": ci("pytest")})
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    _, report = audit(tmp_path / "server", "--select", "CI004", output=tmp_path / "r.json")
    repo = report["reports"][0]
    assert Path(repo["repository_root"]) == tmp_path.resolve()
    assert repo["service_root"] == "server"
    assert results(report)["CI004"][0]["status"] == "pass"  # CI read at the git top-level
    _, given = audit(
        tmp_path, "--service-root", "server", "--select", "CI004", output=tmp_path / "g.json"
    )
    assert given["reports"][0]["service_root"] == "server"


@pytest.mark.parametrize("form", ["text", "json", "markdown", "sarif"])
def test_every_report_format_shows_both_roots(tmp_path: Path, form: str) -> None:
    from cookiecutter_ai_service.cli import main

    write(tmp_path / "repo", {"api/pyproject.toml": "", "api/svc/__init__.py": ""})
    write(tmp_path / "repo", {"api/svc/app.py": APP})
    out = tmp_path / "report"
    main(["audit", "--format", form, "--output", str(out), str(tmp_path / "repo")])
    text = out.read_text()
    assert str(tmp_path / "repo") in text and "api" in text
    assert ("service api" in text) if form == "text" else True
    assert ("serviceRoot" in text) if form == "sarif" else True
    assert ("service `api`" in text) if form == "markdown" else True
    assert ('"service_root": "api"' in text) if form == "json" else True


# -- CI steps through one or more indirections -------------------------------------------------


@pytest.mark.parametrize(
    ("check", "files"),
    [
        ("CI003", {"Makefile": "check: lint types\nlint:\n\truff check .\ntypes:\n\tmypy src\n"}),
        ("CI003", {"Makefile": "check:\n\t$(MAKE) types\ntypes:\n\tuv run pyrefly check\n"}),
        ("CI004", {"pyproject.toml": "[tool.taskipy.tasks]\ncheck = 'python -m pytest -q'\n"}),
        ("CI004", {"pyproject.toml": "[tool.poe.tasks]\ncheck = 'pytest'\n"}),
        ("CI002", {"Taskfile.yml": "version: '3'\ntasks:\n  check:\n    cmds: [ruff check .]\n"}),
        ("CI003", {"justfile": "check: types\ntypes:\n    ty check src\n"}),
        ("CI002", {"package.json": '{"scripts": {"check": "ruff check backend"}}'}),
        ("CI004", {"scripts/check.sh": "#!/bin/sh\nset -e\ncoverage run -m pytest\n"}),
    ],
)
def test_ci_steps_resolve_through_runners_and_scripts(
    tmp_path: Path, check: str, files: dict[str, str]
) -> None:
    runner = {
        "Makefile": "make check",
        "pyproject.toml": "uv run task check" if "taskipy" in str(files) else "poe check",
        "Taskfile.yml": "task check",
        "justfile": "just check",
        "package.json": "npm run check",
        "scripts/check.sh": "bash scripts/check.sh",
    }[next(iter(files))]
    assert run(tmp_path, check, {**files, ".github/workflows/ci.yml": ci(runner)}) is True
    # The same runner with nothing behind it checks nothing.
    (tmp_path / ".github/workflows/ci.yml").write_text(ci("echo " + runner.replace(" ", "-")))
    assert isinstance(run(tmp_path, check, {}), Failure)


def test_ci_reads_hooks_matrix_reusable_workflows_and_working_directories(tmp_path: Path) -> None:
    hooks = (
        "repos:\n  - repo: local\n    hooks:\n"
        "      - id: local-mypy\n        name: mypy\n        entry: uv run mypy app\n"
        "        language: system\n"
    )
    files = {
        ".pre-commit-config.yaml": hooks,
        ".github/workflows/ci.yml": ci("uv run prek run --all-files"),
    }
    assert run(tmp_path, "CI003", files) is True
    matrix = ci("make ${{ matrix.target }}").replace(
        "    timeout-minutes: 10\n",
        "    timeout-minutes: 10\n    strategy:\n      matrix:\n        target: [lint, types]\n",
    )
    files = {
        ".github/workflows/ci.yml": matrix,
        ".pre-commit-config.yaml": "repos: []\n",
        "backend/Makefile": "types:\n\tmypy .\n",
    }
    workdir = matrix.replace("- run: make", "- working-directory: backend\n        run: make")
    assert run(tmp_path, "CI003", {**files, ".github/workflows/ci.yml": workdir}) is True
    reusable = (
        "on: push\npermissions: {}\njobs:\n  lint:\n    uses: ./.github/workflows/_lint.yml\n"
        "    with:\n      working-directory: backend\n"
    )
    inner = "on: workflow_call\njobs:\n  l:\n    runs-on: x\n    steps:\n      - run: make types\n"
    files = {".github/workflows/ci.yml": reusable, ".github/workflows/_lint.yml": inner}
    assert run(tmp_path, "CI003", files) is True


def test_a_commented_out_command_does_not_count(tmp_path: Path) -> None:
    files = {".github/workflows/ci.yml": ci("|\n          # mypy once we add types\n          ls")}
    result = run(tmp_path, "CI003", files)
    assert isinstance(result, Failure) and "pre-commit hooks" in result.detail


def test_migrations_applied_by_a_script_ci_calls(tmp_path: Path) -> None:
    files = {
        "backend/pyproject.toml": "",
        "backend/app/__init__.py": "",
        "backend/app/main.py": APP + "import sqlalchemy\n",
        "backend/app/alembic/env.py": "",
        "backend/app/alembic/versions/1_init.py": "print('upgrade')\n",
        "backend/scripts/prestart.sh": "alembic upgrade head\n",
        ".github/workflows/ci.yml": ci(
            "bash scripts/prestart.sh",
        ).replace("- run:", "- working-directory: backend\n        run:"),
    }
    assert run(tmp_path, "DB001", files) is True
    assert run(tmp_path, "DB002", {}) is True
    assert run(tmp_path, "LOG002", {}) is True  # a revision's print is not service code


# -- health ----------------------------------------------------------------------------------


HEALTHZ_WITH_DB = """from fastapi import APIRouter, Depends
router = APIRouter()

@router.get("/healthz")
async def healthz(session: AsyncSession = Depends(get_db_session)) -> dict[str, str]:
    await session.execute(select(1))
    return {"status": "ok"}
"""


def test_a_healthz_that_queries_the_database_is_readiness(tmp_path: Path) -> None:
    files = {"svc/__init__.py": "", "svc/app.py": APP, "svc/health.py": HEALTHZ_WITH_DB}
    liveness = run(tmp_path, "HLT001", files)
    assert isinstance(liveness, Failure)
    assert (liveness.path, liveness.line) == ("svc/health.py", 5)
    assert "readiness, not liveness" in liveness.detail and "session" in liveness.detail
    assert run(tmp_path, "HLT002", {}) is True


def test_liveness_under_other_names_and_routes_that_only_sound_like_health(
    tmp_path: Path,
) -> None:
    files = {
        "svc/__init__.py": "",
        "svc/app.py": APP,
        "svc/utils.py": (
            "from fastapi import APIRouter\nrouter = APIRouter(prefix='/utils')\n\n"
            "@router.get('/health-check/')\nasync def health_check() -> bool:\n    return True\n"
        ),
    }
    assert run(tmp_path, "HLT001", files) is True
    other = {
        "svc/utils.py": "",
        "svc/hooks.py": (
            "@router.get('/webhooks/deliveries')\nasync def deliveries(db=Depends(x)):\n    ...\n"
            "@router.get('/auth/status')\nasync def status():\n    return 1\n"
        ),
    }
    result = run(tmp_path, "HLT001", other)
    assert isinstance(result, Failure) and "no route whose path says health" in result.detail
    added = {"svc/hooks.py": "def live():\n    return 1\n\napp.add_api_route('/livez', live)\n"}
    assert run(tmp_path, "HLT001", added) is True


# -- Docker ----------------------------------------------------------------------------------


def test_the_deployed_stage_is_the_production_one_and_inherits(tmp_path: Path) -> None:
    dockerfile = (
        "FROM python:3.12-slim AS base\nUSER 10001\n"
        "FROM base AS production\nHEALTHCHECK CMD python -c 'x' /health/live\n"
        "FROM public.ecr.aws/lambda/python:3.12 AS lambda\n"
    )
    files = {"server/pyproject.toml": "", "server/Dockerfile": dockerfile}
    for check in ("DKR001", "DKR002", "DKR003", "HLT003"):
        assert run(tmp_path, check, files, service="server") is True, check


def test_a_dockerfile_compose_builds_from_a_subfolder_and_its_context(tmp_path: Path) -> None:
    compose = (
        "services:\n  api:\n    build:\n      context: .\n"
        "      dockerfile: docker/Dockerfile.service\n"
    )
    files = {
        "compose.yaml": compose,
        "docker/Dockerfile.service": "FROM python:3.12-slim\n",
        "docker/.dockerignore": ".env\n.git\n",
        ".dockerignore": ".git\n",
    }
    assert run(tmp_path, "DKR001", files) is True
    result = run(tmp_path, "DKR005", files)  # the context is the root: its .dockerignore counts
    assert isinstance(result, Failure) and result.path == ".dockerignore" and ".env" in result
    user = run(tmp_path, "DKR002", {})
    assert isinstance(user, Failure) and user.path == "docker/Dockerfile.service"
    assert user.line == 1 and "docker/Dockerfile.service (built by compose.yaml)" in user.detail


# -- pre-commit ------------------------------------------------------------------------------


def test_hooks_are_known_by_what_they_run(tmp_path: Path) -> None:
    config = "repos:\n  - repo: local\n    hooks:\n" + "".join(
        f"      - id: {hook_id}\n        name: {hook_id}\n        entry: {entry}\n"
        "        language: system\n"
        for hook_id, entry in [
            ("local-ruff-check", "uv run ruff check"),
            ("local-ruff-format", "uv run ruff format"),
            ("types", "uv run pyrefly check"),
        ]
    )
    files = {".pre-commit-config.yaml": config}
    assert run(tmp_path, "PRE002", files) is True
    assert run(tmp_path, "PRE004", files) is True
    result = run(tmp_path, "PRE003", files)
    assert isinstance(result, Failure) and "local-ruff-check" in result.detail


# -- evals -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("files", "dataset"),
    [
        ({"svc/eval/run.py": "from pydantic_evals import Case, Dataset\n"}, False),
        (
            {"svc/eval/run.py": "from pydantic_evals import Case\nC = Case(inputs='hi')\n"},
            True,
        ),
        ({"promptfooconfig.yaml": "prompts: [p.txt]\ntests:\n  - vars: {q: hi}\n"}, True),
        ({"tests/test_evaluation.py": "def test_quality():\n    ...\n"}, False),
        ({"evals/suites/x.toml": "", "evals/datasets/x.jsonl": '{"q": 1}\n'}, True),
    ],
)
def test_eval_suites_in_their_common_shapes(
    tmp_path: Path, files: dict[str, str], dataset: bool
) -> None:
    base = {"svc/__init__.py": "", "svc/app.py": APP + "import openai\n"}
    assert run(tmp_path, "EVL001", {**base, **files}) is True
    assert (run(tmp_path, "EVL002", {}) is True) == dataset
    gate = run(tmp_path, "EVL003", {".github/workflows/ci.yml": ci("pytest")})
    assert (gate is True) == ("tests/test_evaluation.py" in files)


def test_a_service_that_calls_no_model_needs_no_evals(tmp_path: Path) -> None:
    result = run(tmp_path, "EVL001", {"svc/__init__.py": "", "svc/app.py": APP})
    assert isinstance(result, Skip) and "not applicable" in result
    assert isinstance(run(tmp_path, "MDL001", {}), Skip)


# -- models ----------------------------------------------------------------------------------


SETTINGS = (
    "from pydantic_settings import BaseSettings\n\nclass Settings(BaseSettings):\n"
    "    llm_model: str = '{model}'\n"
)


def test_models_declared_in_typed_settings_or_infrastructure(tmp_path: Path) -> None:
    files = {
        "svc/__init__.py": "",
        "svc/agent.py": "from pydantic_ai import Agent\n\nagent = Agent(settings.llm_model)\n",
        "svc/settings.py": SETTINGS.format(model="openai:gpt-4.1-2025-04-14"),
    }
    assert run(tmp_path, "MDL001", files) is True
    assert run(tmp_path, "MDL002", {}) is True
    skipped = run(tmp_path, "MDL004", {})
    assert isinstance(skipped, Skip) and "svc/settings.py:4" in skipped
    (tmp_path / "svc/settings.py").write_text(SETTINGS.format(model="gpt-4o-latest"))
    latest = run(tmp_path, "MDL002", {})
    assert isinstance(latest, Failure) and (latest.path, latest.line) == ("svc/settings.py", 4)
    (tmp_path / "svc/settings.py").unlink()
    manifest = "env:\n  - name: LLM_MODEL\n    value: gpt-4.1\n"
    assert run(tmp_path, "MDL001", {"deploy/k8s/deployment.yaml": manifest}) is True


def test_models_chosen_only_in_code_fail_at_the_calling_module(tmp_path: Path) -> None:
    files = {"svc/__init__.py": "", "svc/chat.py": "from langchain_openai import ChatOpenAI\n"}
    result = run(tmp_path, "MDL001", files)
    assert isinstance(result, Failure) and result.path == "svc/chat.py"


def test_providers_behind_a_plugin_interface_are_not_a_gateway_bypass(tmp_path: Path) -> None:
    files = {
        "svc/__init__.py": "",
        "svc/llm/factories/openai.py": "import openai\n",
        "svc/llm/factories/local.py": "from llama_index.llms.ollama import Ollama\n",
        "svc/embedding/openai.py": "from langchain_openai import OpenAIEmbeddings\n",
    }
    assert run(tmp_path, "MDL005", files) is True
    bypass = {"svc/routes/chat.py": "from langchain_anthropic import ChatAnthropic\n"}
    result = run(tmp_path, "MDL005", bypass)
    assert (
        isinstance(result, Failure) and "svc/routes/chat.py imports langchain_anthropic" in result
    )
    inline = {
        "svc/routes/chat.py": "from pydantic_ai import Agent\nagent = Agent('openai:gpt-4o')\n"
    }
    assert isinstance(run(tmp_path, "MDL005", inline), Failure)
    gateway = {"svc/routes/chat.py": "from pydantic_ai.providers.gateway import gateway_provider\n"}
    assert run(tmp_path, "MDL005", gateway) is True


# -- the service's code, prints and secrets ----------------------------------------------------


def test_prints_of_tools_and_main_blocks_are_not_service_code(tmp_path: Path) -> None:
    files = {
        "svc/__init__.py": "",
        "svc/app.py": APP,
        "svc/runner.py": "def run():\n    pass\n\nif __name__ == '__main__':\n    print('go')\n",
        "svc/pretty.py": "from rich import print\nprint('[b]hi[/b]')\n",
        "dev/notify.py": "print('dev tool')\n",
        "scripts/release.py": "print('release')\n",
        "svc/commands/seed.py": "print('seeded')\n",
    }
    assert run(tmp_path, "LOG002", files) is True
    result = run(tmp_path, "LOG002", {"svc/worker.py": "def go():\n    print('x')\n"})
    assert isinstance(result, Failure) and (result.path, result.line) == ("svc/worker.py", 2)


@pytest.mark.parametrize(
    ("path", "line", "leaks"),
    [
        ("svc/oauth.py", "token_endpoint = url_for('oauth2:request_token_xyz1')", False),
        ("svc/config.py", "TOKEN_URL = 'https://api.example.org/v1/oauth2/token9'", False),
        ("compose.yaml", "      MINIO_ROOT_PASSWORD: polar123456789q", False),
        (".github/workflows/ci.yml", "      SECRET_ACCESS_KEY: x8Kq2mZ7vP4wL9nR3t", False),
        ("docs/setup.md", 'API_KEY = "9f8e7d6c5b4a39281706f5e4d3c2b1a0"', False),
        ("svc/tests/fixtures/keys.py", 'API_KEY = "9f8e7d6c5b4a39281706f5e4d3c2b1a0"', False),
        ("server/.env.template", "AWS_SECRET_ACCESS_KEY=Zk82mQ7vP4wL9nR3t", False),
        ("compose.yaml", "      OPENAI_API_KEY: sk-proj-Zk82mQ7vP4wL9nR3tY6uB1cX5", True),
        ("svc/keys.py", 'API_KEY = SecretStr("9f8e7d6c5b4a39281706f5e4d3c2b1a0")', True),
    ],
)
def test_the_secret_scanner_ignores_what_is_not_a_secret(
    tmp_path: Path, path: str, line: str, leaks: bool
) -> None:
    result = run(tmp_path, "SEC002", {"svc/__init__.py": "", path: line + "\n"})
    assert (result is not True) == leaks, result


# -- skips say why ---------------------------------------------------------------------------


def test_a_skipped_dependent_quotes_why_its_prerequisite_failed(tmp_path: Path) -> None:
    write(tmp_path, {"svc/__init__.py": "", "svc/app.py": APP + "import openai\n"})
    _, report = audit(tmp_path, "--select", "evals", output=tmp_path / "r.json")
    [dataset] = results(report)["EVL002"]
    assert dataset["status"] == "skip"
    assert dataset["message"].startswith("skipped: it builds on EVL001 did not pass: No eval")


def test_env_ignored_at_the_git_root_or_in_the_service(tmp_path: Path) -> None:
    files = {"backend/pyproject.toml": "", "backend/app/__init__.py": ""}
    files["backend/app/main.py"] = APP
    result = run(tmp_path, "SEC003", {**files, ".gitignore": "node_modules/\n"})
    assert isinstance(result, Failure) and "backend/.gitignore" in result.detail
    assert run(tmp_path, "SEC003", {"backend/.gitignore": ".env\n"}) is True
    assert run(tmp_path, "SEC003", {"backend/.gitignore": "", ".gitignore": ".env*\n"}) is True


def test_indirection_loops_and_broken_files_end_with_a_verdict(tmp_path: Path) -> None:
    files = {
        "Makefile": "a: b\n\t$(MAKE) a\nb: a\n\tbash scripts/x.sh\n",
        "scripts/x.sh": "bash scripts/x.sh\nmake a\n",
        "justfile": "j: j\n    just j\n",
        "package.json": "{not json",
        "pyproject.toml": "[tool.taskipy.tasks\n",
        ".pre-commit-config.yaml": "repos: [\n",
        "Dockerfile": "FROM python AS base\nFROM base\nUSER\n",
        ".github/workflows/ci.yml": ci("make a", "just j", "npm run x", "task y", "prek run"),
    }
    for check in ("CI002", "CI003", "CI004", "PRE001", "DKR002", "DKR004"):
        assert isinstance(run(tmp_path, check, files), Failure), check


def test_installing_a_tool_is_not_running_it(tmp_path: Path) -> None:
    files = {".github/workflows/ci.yml": ci("pip install ruff mypy pytest", "uv tool install ruff")}
    for check in ("CI002", "CI003", "CI004"):
        assert isinstance(run(tmp_path, check, files), Failure), check
    hooks = "repos:\n  - repo: https://github.com/astral-sh/ruff-pre-commit\n    hooks:\n"
    files = {
        ".pre-commit-config.yaml": hooks + "      - id: ruff\n",
        ".github/workflows/ci.yml": ci("pre-commit run --all-files"),
    }
    assert run(tmp_path, "CI002", files) is True  # the legacy `ruff` hook id lints


# -- shapes found by the blind corpus check (AgentGPT, deepwiki-open, openai-chat-quickstart) --

LLM_APP = APP + "from openai import OpenAI\n\nclient = OpenAI()\n"


def test_models_declared_in_a_json_provider_table_or_bicep_parameters(tmp_path: Path) -> None:
    files = {"api/pyproject.toml": "[project]\nname = 'api'\n", "api/__init__.py": ""}
    files["api/main.py"] = LLM_APP
    assert isinstance(run(tmp_path / "code", "MDL001", files), Failure)
    table = '{"default_provider": "google", "providers": {"google": {"default_model": "g-2"}}}'
    assert run(tmp_path / "json", "MDL001", {**files, "api/config/generator.json": table}) is True
    empty = '{"providers": {"google": {"default_model": ""}}, "lang": {"en": "English"}}'
    assert isinstance(
        run(tmp_path / "empty", "MDL001", {**files, "api/config/generator.json": empty}), Failure
    )
    arm = '{"parameters": {\n  "openAiModelName": {"value": "${CHAT_MODEL=gpt-5}"}\n}}\n'
    assert run(tmp_path / "arm", "MDL001", {**files, "infra/main.parameters.json": arm}) is True
    capacity = '{"parameters": {\n  "openAiDeploymentCapacity": {"value": 30}\n}}\n'
    found = run(tmp_path / "cap", "MDL001", {**files, "infra/main.parameters.json": capacity})
    assert isinstance(found, Failure)


def test_a_settings_field_that_no_code_reads_declares_no_model(tmp_path: Path) -> None:
    settings = (
        "from pydantic_settings import BaseSettings\n\n"
        "class Settings(BaseSettings):\n"
        "    azure_openai_deployment_name: str = 'set-me'\n"
    )
    files = {"app/__init__.py": "", "app/main.py": LLM_APP, "app/settings.py": settings}
    assert isinstance(run(tmp_path / "unread", "MDL001", files), Failure)
    reader = (
        LLM_APP
        + "from app.settings import Settings\nname = Settings().azure_openai_deployment_name\n"
    )
    assert run(tmp_path / "read", "MDL001", {**files, "app/main.py": reader}) is True


@pytest.mark.parametrize(
    ("line", "leaks"),
    [
        ('    secret_signing_key: str = "JF52S66x6WMoifP5gZreiguYs9LYMn0lkXqgPYoNMD0="\n', True),
        ('    api_token: Optional[str] = "a8Fk29dkQ01mZx7Lq"\n', True),
        ('    secret_signing_key: str = "<set via env>"\n', False),
        ("    api_token: Optional[str] = None\n", False),
        ('    secret_key: str = Field(default_factory=lambda: "x")\n', False),
    ],
)
def test_annotated_settings_defaults_are_scanned_for_secrets(
    tmp_path: Path, line: str, leaks: bool
) -> None:
    files = {"app/__init__.py": "", "app/settings.py": "class Settings(BaseSettings):\n" + line}
    result = run(tmp_path, "SEC002", files)
    assert isinstance(result, Failure) if leaks else result is True, result


def test_a_compose_service_building_the_deployed_root_dockerfile_is_the_service(
    tmp_path: Path,
) -> None:
    compose = (
        "services:\n  web:\n    build:\n      context: .\n      dockerfile: Dockerfile\n"
        "    healthcheck:\n      test: ['CMD', 'curl', '-f', 'http://localhost:8001/health']\n"
        "  db:\n    image: postgres:17\n"
    )
    files = {
        "api/pyproject.toml": "[project]\nname = 'api'\n",
        "api/__init__.py": "",
        "api/main.py": APP,
        "Dockerfile": "FROM python:3.12-slim\nCOPY api/ ./api/\nCMD python -m api.main\n",
        "docker-compose.yml": compose,
    }
    assert run(tmp_path / "probe", "HLT004", files) is True
    bare = compose.replace(
        "    healthcheck:\n      test: ['CMD', 'curl', '-f', 'http://localhost:8001/health']\n", ""
    )
    result = run(tmp_path / "bare", "HLT004", {**files, "docker-compose.yml": bare})
    assert isinstance(result, Failure), result


def test_importing_a_providers_exceptions_or_types_is_not_a_provider_call(tmp_path: Path) -> None:
    files = {
        "app/__init__.py": "",
        "app/llm.py": "from openai import AsyncOpenAI\n\nclient = AsyncOpenAI()\n",
        "app/retry.py": "from openai.error import RateLimitError\nfrom openai import APIError\n",
        "app/schemas.py": "from anthropic.types import Message\n",
    }
    assert run(tmp_path / "errors", "MDL005", files) is True
    calling = {**files, "app/retry.py": "from openai import APIError, OpenAI\n"}
    result = run(tmp_path / "calls", "MDL005", calling)
    assert isinstance(result, Failure) and "app/retry.py" in result.detail, result


def test_an_agents_tools_folder_inside_the_package_is_service_code(tmp_path: Path) -> None:
    files = {
        "app/__init__.py": "",
        "app/llm.py": "from openai import AsyncOpenAI\n\nclient = AsyncOpenAI()\n",
        "app/agent/tools/image.py": "import replicate\n\nreplicate.run('x')\n",
        "app/agent/tools/search.py": "def search() -> None:\n    print('hit')\n",
        "app/tests/test_llm.py": "print('a test')\n",
        "tools/release.py": "print('tagging')\n",
    }
    repo = Repo(write(tmp_path, files))
    assert "app/agent/tools/image.py" in repo.service_python_files
    assert "tools/release.py" not in repo.service_python_files
    assert "app/tests/test_llm.py" not in repo.service_python_files
    result = CHECKS_BY_ID["MDL005"].run(repo)
    assert isinstance(result, Failure) and "app/agent/tools/image.py" in result.detail, result
    printed = CHECKS_BY_ID["LOG002"].run(repo)
    assert isinstance(printed, Failure) and "app/agent/tools/search.py" in printed.detail
    assert "release.py" not in printed.detail and "test_llm" not in printed.detail
