"""`python -m {{ cookiecutter.package_name }} eval ...`: exit codes, report files, bless, compare and status."""

from __future__ import annotations

import json
from pathlib import Path

# Imported before any test captures output: alembic.config binds sys.stdout as a default
# argument when first imported, and would write to that test's closed stream ever after.
import alembic.config  # noqa: F401
import pytest

from {{ cookiecutter.package_name }}.__main__ import main
from {{ cookiecutter.package_name }}.core import migrations
from {{ cookiecutter.package_name }}.evals.layout import EvalLayout

from ..factories import OFFLINE_MODELS_FILE, PRICES_FILE, make_settings
from .eval_project import SUITE, answer, correct_answers, write_recordings


@pytest.fixture
def cli_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    url = f"sqlite+aiosqlite:///{tmp_path / 'service.db'}"
    monkeypatch.setenv("APP_ENV", "test")
    monkeypatch.setenv("APP_DATABASE_URL", url)
    monkeypatch.setenv("APP_MODELS_FILE", str(OFFLINE_MODELS_FILE))
    monkeypatch.setenv("APP_PRICES_FILE", str(PRICES_FILE))
    monkeypatch.chdir(tmp_path)  # No developer .env is read.
    return url


def eval_main(layout: EvalLayout, *args: str) -> int:
    command, rest = args[0], args[1:]
    return main(["eval", command, "--evals-dir", str(layout.root), *rest])


def run(layout: EvalLayout, out: Path, *args: str) -> int:
    return eval_main(layout, "run", "--out", str(out), *args)


def test_run_writes_the_reports_and_exits_0(
    layout: EvalLayout, cli_env: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(layout, tmp_path / "out") == 0

    assert sorted(p.name for p in (tmp_path / "out" / SUITE).iterdir()) == [
        "junit.xml",
        "report.html",
        "results.json",
        "summary.md",
    ]
    output = capsys.readouterr().out
    assert output.startswith("eval triage (replay): passed (exit 0)\n")
    assert "not recorded in a database: no database at" in output
    assert "model_attempt" not in output  # Quiet unless --verbose.


def test_exit_codes_1_2_and_3(
    layout: EvalLayout, cli_env: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    assert run(layout, out, "--no-db") == 0
    assert eval_main(layout, "bless", str(out / SUITE / "results.json")) == 0

    write_recordings(layout, correct_answers() | {"api-down": [answer("api-down", urgency="low")]})
    assert run(layout, out, "--no-db") == 1
    assert "regressed api-down: fields: urgency: got 'low', expected 'urgent'" in (
        capsys.readouterr().out
    )

    write_recordings(layout, {"api-down": [answer("api-down")]})
    assert run(layout, out, "--no-db") == 2
    assert "error double-charge: stale_recording: stale or missing recording for case" in (
        capsys.readouterr().out
    )

    layout.suite_file(SUITE).write_text('task = "triage_ticket"\n')
    assert run(layout, out, "--no-db") == 3
    assert f"{layout.suite_file(SUITE)}: scorers: Field required" in capsys.readouterr().err
    assert run(layout, out, "--suite", "nope") == 3


def test_a_suite_without_a_baseline_fails_until_its_results_are_blessed(
    layout: EvalLayout, cli_env: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    results_json = out / SUITE / "results.json"
    layout.baseline_file(SUITE).unlink()

    assert run(layout, out, "--no-db") == 1
    assert "FAIL regressions vs baseline: n/a (suite triage has no baseline: bless one with " in (
        capsys.readouterr().out
    )
    assert not layout.baseline_file(SUITE).exists()  # A run never writes one.

    assert eval_main(layout, "bless", "--out", str(out)) == 0
    blessed = layout.baseline_file(SUITE).read_text()
    assert json.loads(blessed)["run_id"] == json.loads(results_json.read_text())["run_id"]
    assert "blessed" in capsys.readouterr().out
    assert run(layout, out, "--no-db") == 0

    write_recordings(layout, {"api-down": [answer("api-down")]})
    run(layout, out, "--no-db")
    assert eval_main(layout, "bless", "--out", str(out)) == 1
    assert "3 attempt(s) errored" in capsys.readouterr().err
    assert layout.baseline_file(SUITE).read_text() == blessed


def add_suite(layout: EvalLayout, name: str) -> None:
    """A second suite over the same task and cases, answered by the same recordings."""
    layout.suite_file(name).write_text(layout.suite_file(SUITE).read_text())
    dataset = layout.dataset_file(f"datasets/{SUITE}.jsonl")
    dataset.with_stem(name).write_text(dataset.read_text())
    layout.recordings_file(name).write_text(layout.recordings_file(SUITE).read_text())


def test_bless_acts_on_one_suite_and_never_on_a_suite_that_did_not_run(
    layout: EvalLayout, cli_env: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    add_suite(layout, "aardvark")  # Sorts before "triage".
    triage_baseline = layout.baseline_file(SUITE).read_bytes()
    assert run(layout, out, "--no-db") == 1  # aardvark has no baseline yet.
    write_recordings(layout, correct_answers() | {"api-down": [answer("api-down", urgency="low")]})
    assert run(layout, out, "--no-db", "--suite", SUITE) == 1  # A regression, not to be blessed.
    assert run(layout, out, "--no-db", "--suite", "aardvark") == 1
    capsys.readouterr()

    assert eval_main(layout, "bless", "--out", str(out), "--suite", "aardvark") == 0
    assert layout.baseline_file(SUITE).read_bytes() == triage_baseline
    assert json.loads(layout.baseline_file("aardvark").read_bytes())["suite"] == "aardvark"

    assert eval_main(layout, "bless", "--out", str(out)) == 1  # Every suite: triage did not run.
    captured = capsys.readouterr()
    assert (
        "not blessed: triage: suite triage did not run in the last eval run: "
        "run `make eval SUITE=triage` first"
    ) in captured.err
    assert "unchanged: " in captured.out  # aardvark's baseline holds these results already.
    assert layout.baseline_file(SUITE).read_bytes() == triage_baseline


def test_bless_takes_results_files_too(
    layout: EvalLayout, cli_env: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_recordings(layout, correct_answers() | {"api-down": [answer("api-down", urgency="low")]})
    assert run(layout, tmp_path / "out", "--no-db") == 1

    assert eval_main(layout, "bless", str(tmp_path / "out" / SUITE / "results.json")) == 0

    assert "1 regression(s) accepted" in capsys.readouterr().out
    assert run(layout, tmp_path / "out", "--no-db") == 0


def test_compare_judges_a_results_file_against_any_baseline(
    layout: EvalLayout, cli_env: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    good = tmp_path / "good"
    run(layout, good, "--no-db")
    layout.baseline_file(SUITE).unlink()
    write_recordings(layout, correct_answers() | {"api-down": [answer("api-down", urgency="low")]})
    run(layout, tmp_path / "worse", "--no-db")
    capsys.readouterr()
    worse_results = str(tmp_path / "worse" / SUITE / "results.json")

    assert eval_main(layout, "compare", worse_results) == 3  # Nothing blessed yet.
    assert "no such baseline" in capsys.readouterr().err
    baseline = str(good / SUITE / "results.json")
    assert eval_main(layout, "compare", worse_results, "--baseline", baseline) == 1
    assert "- `api-down`: fields: urgency: got 'low'" in capsys.readouterr().out


def test_record_mode_refreshes_the_recordings(
    layout: EvalLayout, cli_env: str, tmp_path: Path
) -> None:
    layout.recordings_file(SUITE).unlink()

    run(layout, tmp_path / "out", "--mode", "record", "--no-db")

    assert layout.recordings_file(SUITE).exists()
    assert run(layout, tmp_path / "out", "--no-db") in (0, 1)  # What the fake gets right.


def test_runs_are_recorded_and_status_names_the_approving_run(
    layout: EvalLayout, cli_env: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert eval_main(layout, "status") == 1
    assert "no database at" in capsys.readouterr().err
    settings = make_settings(database_url=cli_env)
    migrations.upgrade(settings)
    try:
        assert run(layout, tmp_path / "out") == 0
        run_id = json.loads((tmp_path / "out" / SUITE / "results.json").read_text())["run_id"]
        assert f"recorded as eval run {run_id}" in capsys.readouterr().out

        assert eval_main(layout, "status") == 0

        output = capsys.readouterr().out
        assert f"triage (replay): run {run_id} passed at" in output
        assert "replay runs test prompts and code on recorded answers" in output
    finally:
        migrations.downgrade(settings)
