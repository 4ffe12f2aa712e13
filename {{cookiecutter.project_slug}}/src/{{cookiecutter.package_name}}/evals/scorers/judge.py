"""The LLM judge: a pinned model alias grades the answer against a rubric file.

Off unless a suite lists it. The call goes through the gateway like any other, so it is
retried, priced, and in replay mode answered from the recordings; the rubric's hash is its
prompt version, so editing the rubric makes old recordings stale instead of silently reused.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import orjson
from pydantic import BaseModel, Field, ValidationInfo, field_validator

from ...llm.types import GenerationParameters, Message, ModelRequest, PromptRef
from ..layout import EvalLayout
from .scorer import NO_OUTPUT, ModelAliasOptions, Observation, Score, scorer

JUDGE_INSTRUCTIONS = """\
You grade the answer of an AI system to one input, following the rubric below. Give a score
from 0 (fails the rubric) to 1 (fully meets it) and one sentence of reason. Answer with only a
JSON object that matches this JSON schema, without Markdown:
{schema}

Rubric:
{rubric}"""


class JudgeOptions(ModelAliasOptions):
    alias: str = Field(default="judge", description="Pin it to one exact model in models.toml.")
    rubric: str = Field(pattern=r"^[A-Za-z0-9_-]+$", description="evals/rubrics/<rubric>.md")

    @field_validator("rubric")
    @classmethod
    def _rubric_exists(cls, value: str, info: ValidationInfo) -> str:
        layout: EvalLayout | None = (info.context or {}).get("layout")
        if layout is not None and not layout.rubric_file(value).is_file():
            msg = f"no rubric file {layout.rubric_file(value)}"
            raise ValueError(msg)
        return value


class Verdict(BaseModel):
    score: float = Field(ge=0, le=1)
    reason: str = Field(max_length=1000)


@scorer("llm_judge", options=JudgeOptions)
async def llm_judge(observation: Observation, options: JudgeOptions) -> Score:
    """A model's 0..1 grade of the answer against a rubric in evals/rubrics/."""
    if observation.output is None:
        return Score(0.0, NO_OUTPUT)
    rubric_path = observation.rubrics_dir / f"{options.rubric}.md"
    request = judge_request(observation, options.rubric, rubric_path)
    response = await observation.gateway.generate(
        options.alias, request, output_model=Verdict, task=f"eval_judge:{options.rubric}"
    )
    verdict = response.parsed
    assert isinstance(verdict, Verdict)  # noqa: S101 - the gateway validated it
    return Score(verdict.score, verdict.reason)


def judge_request(observation: Observation, rubric_name: str, rubric_path: Path) -> ModelRequest:
    rubric = rubric_path.read_text(encoding="utf-8").strip()
    schema = Verdict.model_json_schema()
    case = observation.case
    shown = {"input": case.input, "expected": case.expected, "reference": case.reference}
    user = (
        f"Case:\n{orjson.dumps(shown, option=orjson.OPT_INDENT_2).decode()}\n\n"
        f"Answer to grade:\n{orjson.dumps(observation.output, option=orjson.OPT_INDENT_2).decode()}"
    )
    system = JUDGE_INSTRUCTIONS.format(schema=orjson.dumps(schema).decode(), rubric=rubric)
    return ModelRequest(
        messages=(Message(role="system", content=system), Message(role="user", content=user)),
        parameters=GenerationParameters(temperature=0.0),
        output_schema=schema,
        prompt=PromptRef(
            name=f"judge:{rubric_name}", version=hashlib.sha256(rubric.encode()).hexdigest()[:12]
        ),
        metadata={"task": "eval_judge"},
    )
