"""Extending a generated project with its own scaffolder, then running its checks, as a team would:
`python -m <pkg> new task NAME`, `new feature NAME` and `make migration m="..."`."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from .baking import bake, describe, run

pytestmark = pytest.mark.xdist_group("scaffold")
PACKAGE = "ai_service"


class Checkout:
    """A baked project committed to git, with its make targets run in the shared environment."""

    def __init__(self, path: Path, caches: Path) -> None:
        self.path = path
        self.env = {
            "PYTHONPATH": str(path / "src"),
            "MYPY_CACHE_DIR": str(caches / "mypy"),
            "RUFF_CACHE_DIR": str(caches / "ruff"),
            "PRE_COMMIT_HOME": str(caches / "pre-commit"),
        }
        for command in (["init", "-q"], ["add", "-A"], ["commit", "-q", "-m", "generated"]):
            self.git(*command)

    def git(self, *args: str) -> str:
        identity = ["-c", "user.name=Scaffold Tests", "-c", "user.email=scaffold@example.com"]
        result = subprocess.run(
            ["git", *identity, *args], cwd=self.path, capture_output=True, text=True, check=True
        )
        return result.stdout

    def new(self, *args: str) -> subprocess.CompletedProcess[str]:
        return run(["python", "-m", PACKAGE, "new", *args], self.path, env=self.env)

    def make(self, *targets: str, **variables: str) -> subprocess.CompletedProcess[str]:
        assignments = [f"{name}={value}" for name, value in {"RUN": "", **variables}.items()]
        return run(["make", *targets, *assignments], self.path, env=self.env, timeout=900)


@pytest.fixture(scope="module")
def extended(tmp_path_factory: pytest.TempPathFactory) -> Checkout:
    """A default bake after `new task summarize_call` and `new feature widgets`."""
    checkout = Checkout(bake(tmp_path_factory.mktemp("scaffold")), tmp_path_factory.mktemp("c"))
    for args in (("task", "summarize_call"), ("feature", "widgets")):
        result = checkout.new(*args)
        assert result.returncode == 0, describe(result)
    return checkout


def test_new_task_writes_what_a_team_would(extended: Checkout) -> None:
    package = extended.path / "src" / PACKAGE
    written = {
        "module": package / "tasks/catalog/summarize_call.py",
        "prompt": package / "tasks/catalog/summarize_call.toml",
        "suite": extended.path / "evals/suites/summarize_call.toml",
        "dataset": extended.path / "evals/datasets/summarize_call.jsonl",
        "recordings": extended.path / "evals/recordings/summarize_call.jsonl",
        "baseline": extended.path / "evals/baselines/summarize_call.json",
        "test": extended.path / "tests/tasks/test_summarize_call.py",
    }
    assert [name for name, path in written.items() if not path.is_file()] == []
    module = written["module"].read_text()
    # The shape of the shipped task: input and output models, a TASK with its prompt file.
    assert "class SummarizeCallInput(BaseModel):" in module
    assert "class SummarizeCallOutput(BaseModel):" in module
    assert "prompt=prompt_file(__file__)" in module and 'name="summarize_call"' in module
    assert 'owner="@your-org/your-team"' in module
    assert '"fake/fake-1"' in written["recordings"].read_text().splitlines()[0]
    assert '"suite": "summarize_call"' in written["baseline"].read_text()


def test_new_feature_writes_a_package_and_wires_it(extended: Checkout) -> None:
    package = extended.path / "src" / PACKAGE
    files = ["__init__.py", "router.py", "schemas.py", "service.py", "models.py"]
    assert [f for f in files if not (package / "widgets" / f).is_file()] == []
    assert (extended.path / "tests/widgets/test_router.py").is_file()
    app = (package / "app.py").read_text()
    assert re.search(r"^from \. import .*\bwidgets\b", app, re.M)
    assert 'app.include_router(widgets.router, prefix="/v1")' in app
    assert "from .widgets import models as widgets_models" in (package / "models.py").read_text()
    [migration] = (package / "migrations/versions").glob("*_create_widgets.py")
    number = next_number(package)
    assert re.fullmatch(rf"\d{{8}}_{number}_create_widgets\.py", migration.name)
    assert f'revision: str = "{number}"' in migration.read_text()


def test_the_extended_project_passes_its_checks(extended: Checkout) -> None:
    result = extended.make("lint", "typecheck", "test", "check-migrations", "eval")

    assert result.returncode == 0, describe(result)
    assert "summarize_call" in result.stdout  # the new suite ran in the gate


@pytest.mark.parametrize(
    ("args", "rule"),
    [
        (("task", "Summarize-Call"), "use lowercase letters and digits in words joined by single"),
        (("task", "summarize__call"), "use lowercase letters and digits"),
        (("task", "2fast"), "starting with a letter"),
        (("task", "class"), "it is a Python keyword"),
        (("task", "triage_ticket"), "it already exists"),
        (("task", "x" * 41), "at most 40 characters"),
        (("feature", "core"), "it already exists"),
        (("feature", "widgets/../core"), "use lowercase letters"),
    ],
)
def test_a_bad_name_is_refused_with_its_rule_and_writes_nothing(
    tmp_path_factory: pytest.TempPathFactory, args: tuple[str, str], rule: str
) -> None:
    checkout = refusals_checkout(tmp_path_factory)

    result = checkout.new(*args)

    assert result.returncode == 2, describe(result)
    assert f"{args[0]} name {args[1]!r} refused" in result.stderr
    assert rule in result.stderr
    assert checkout.git("status", "--porcelain") == ""


def test_an_existing_file_stops_the_task_before_anything_is_written(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    checkout = refusals_checkout(tmp_path_factory)
    test_file = checkout.path / "tests/tasks/test_sort_tickets.py"
    test_file.write_text("# ours\n")

    result = checkout.new("task", "sort_tickets")

    assert result.returncode == 2, describe(result)
    assert "tests/tasks/test_sort_tickets.py exists already; nothing was written" in result.stderr
    test_file.unlink()
    assert checkout.git("status", "--porcelain") == ""


def next_number(package: Path) -> str:
    """The number after the highest one the template ships (new files are the newest)."""
    shipped = sorted((package / "migrations/versions").glob("*_[0-9][0-9][0-9][0-9]_*.py"))
    return f"{int(shipped[-2].name.split('_')[1]) + 1:04d}"


_REFUSALS: dict[str, Checkout] = {}


def refusals_checkout(tmp_path_factory: pytest.TempPathFactory) -> Checkout:
    if "checkout" not in _REFUSALS:
        _REFUSALS["checkout"] = Checkout(
            bake(tmp_path_factory.mktemp("refusals")), tmp_path_factory.mktemp("c")
        )
    return _REFUSALS["checkout"]


def test_make_migration_is_numbered_formatted_and_lint_clean(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    checkout = Checkout(bake(tmp_path_factory.mktemp("migration")), tmp_path_factory.mktemp("c"))
    models = checkout.path / "src" / PACKAGE / "audit" / "models.py"
    text = models.read_text()
    assert "from sqlalchemy import " in text
    # A column whose autogenerated line is longer than the line length: format must wrap it.
    models.write_text(
        text.rstrip("\n")
        + "\n    reviewer_comment_for_the_compliance_team: Mapped[str | None] = mapped_column(\n"
        + '        String(500), nullable=True, comment="A note written by the reviewing team."\n'
        + "    )\n"
    )

    result = checkout.make("migration", m="add reviewer comment")

    assert result.returncode == 0, describe(result)
    # alembic.ini's hooks format before they lint: no spurious "line too long" on the way.
    assert "Line too long" not in result.stdout + result.stderr, describe(result)
    [migration] = (checkout.path / "src" / PACKAGE / "migrations/versions").glob("*_comment.py")
    number = next_number(checkout.path / "src" / PACKAGE)
    assert re.fullmatch(rf"\d{{8}}_{number}_add_reviewer_comment\.py", migration.name)
    assert "reviewer_comment_for_the_compliance_team" in migration.read_text()
    assert f'revision: str = "{number}"' in migration.read_text()
    checks = checkout.make("lint", "check-migrations")
    assert checks.returncode == 0, describe(checks)


def test_make_migration_without_a_message_is_refused(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    checkout = refusals_checkout(tmp_path_factory)

    result = checkout.make("migration")

    assert result.returncode != 0
    assert 'a migration needs a message: make migration m="add widgets"' in result.stderr
    assert checkout.git("status", "--porcelain") == ""
