"""The LLM judge: a pinned alias, a rubric file, through the gateway like any model call."""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest

from {{ cookiecutter.package_name }}.core.settings import Settings
from {{ cookiecutter.package_name }}.evals.layout import EvalConfigError, EvalLayout
from {{ cookiecutter.package_name }}.evals.run import EvalMode, run_suite
from {{ cookiecutter.package_name }}.evals.scorers import Score
from {{ cookiecutter.package_name }}.llm.config import AliasConfig
from {{ cookiecutter.package_name }}.llm.errors import InvalidOutputError

from ...factories import OFFLINE_MODELS_FILE, make_settings
from ...llm.gateway_factories import Harness, make_gateway
from ..eval_project import SUITE, write_suite
from .observations import observe, score


@pytest.fixture
def judge() -> Harness:
    return make_gateway(aliases={"judge": AliasConfig(deployments=("primary",), repair_attempts=0)})


@pytest.fixture
def rubric_layout(tmp_path: Path) -> EvalLayout:
    layout = EvalLayout(tmp_path)
    layout.rubrics_dir.mkdir()
    layout.rubric_file("summary").write_text("Score 1 when the summary is one faithful sentence.")
    return layout


async def test_the_judge_asks_the_pinned_alias_with_the_rubric(
    judge: Harness, rubric_layout: EvalLayout
) -> None:
    judge.clients["primary"].queue('{"score": 0.8, "reason": "Faithful but long."}')
    observation = observe(judge.gateway, rubrics_dir=rubric_layout.rubrics_dir)

    verdict = await score("llm_judge", observation, layout=rubric_layout, rubric="summary")

    assert verdict == Score(0.8, "Faithful but long.")
    (request,) = judge.clients["primary"].requests
    assert "Score 1 when the summary is one faithful sentence." in request.messages[0].content
    shown = request.messages[1].content
    assert "Charged twice in November." in shown
    assert "The customer was charged twice." in shown
    assert request.prompt is not None
    assert request.prompt.name == "judge:summary"
    assert request.parameters.temperature == 0.0
    assert judge.attempts[0].alias == "judge"


async def test_a_judge_that_answers_out_of_schema_is_an_error_not_a_score(
    judge: Harness, rubric_layout: EvalLayout
) -> None:

    judge.clients["primary"].queue(orjson.dumps({"score": 7, "reason": "great"}).decode())
    observation = observe(judge.gateway, rubrics_dir=rubric_layout.rubrics_dir)

    with pytest.raises(InvalidOutputError):
        await score("llm_judge", observation, layout=rubric_layout, rubric="summary")


def test_editing_the_rubric_changes_the_judge_prompt_version(rubric_layout: EvalLayout) -> None:
    from {{ cookiecutter.package_name }}.evals.scorers.judge import judge_request

    path = rubric_layout.rubric_file("summary")
    before = judge_request(observe(), "summary", path).prompt
    path.write_text("A stricter rubric.")
    after = judge_request(observe(), "summary", path).prompt

    assert before is not None
    assert after is not None
    assert before.version != after.version


def add_judge(root: Path) -> EvalLayout:
    """The test suite, with a judge that grades every answer and gates none."""
    layout = write_suite(root)
    layout.rubrics_dir.mkdir()
    layout.rubric_file("summary").write_text("Score 1 for a faithful one-line summary.")
    judge = '[[scorers]]\nscorer = "llm_judge"\nrubric = "summary"\nthreshold = 0\n\n'
    suite_file = layout.suite_file(SUITE)
    suite_file.write_text(suite_file.read_text().replace("[gates]", judge + "[gates]"))
    return layout


async def test_judge_answers_are_recorded_and_replayed_like_the_tasks(tmp_path: Path) -> None:
    models = tmp_path / "models.toml"
    models.write_text(
        f'{OFFLINE_MODELS_FILE.read_text()}\n[aliases.judge]\ndeployments = ["fake"]\n'
    )
    settings = make_settings(models_file=models)
    layout = add_judge(tmp_path / "evals")

    recorded = await run_suite(settings, layout, SUITE, EvalMode.RECORD)
    replayed = await run_suite(settings, layout, SUITE, EvalMode.REPLAY)

    prompts = {
        orjson.loads(line)["prompt"]
        for line in layout.recordings_file(SUITE).read_bytes().splitlines()[1:]
    }
    assert {prompt.split("@")[0] for prompt in prompts} == {"triage_ticket", "judge:summary"}
    assert replayed.aggregate.errored_attempts == 0
    assert replayed.aggregate.scorer_means == recorded.aggregate.scorer_means
    assert replayed.aggregate.scorer_means["llm_judge"] == 0.0  # The fake is no judge.


async def test_a_judge_alias_missing_from_the_models_file_stops_the_run(
    tmp_path: Path, eval_settings: Settings
) -> None:
    layout = add_judge(tmp_path / "evals")

    with pytest.raises(EvalConfigError, match="no alias judge, which the suite calls"):
        await run_suite(eval_settings, layout, SUITE, EvalMode.REPLAY)
