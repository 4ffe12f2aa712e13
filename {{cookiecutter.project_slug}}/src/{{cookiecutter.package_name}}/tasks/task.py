"""A task: the service's unit of AI work and its extension point.

A task is a name, a versioned prompt file, an input model, an output model and a model alias.
The gateway does the calling; a task only says what to ask and what shape the answer has.
`run` and `stream` are the one way to call a task: the HTTP routes and the eval runner use them.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from string import Template
from typing import TYPE_CHECKING, Any, Generic, TypeVar

import orjson
from pydantic import BaseModel, Field

from ..core.frozen_model import FrozenModel
from ..llm.types import (
    GenerationParameters,
    Message,
    ModelRequest,
    ModelResponse,
    PromptRef,
    StreamEvent,
)

if TYPE_CHECKING:
    from collections.abc import AsyncIterator, Sequence

    from ..llm.gateway import ModelGateway
    from ..llm.ledger import SpendLimit

InputT = TypeVar("InputT", bound=BaseModel)
OutputT = TypeVar("OutputT", bound=BaseModel)


class Prompt(FrozenModel):
    """A prompt file: `version`, a `system` text and a `user` template with `$field` slots.

    `$output_schema` is always available: the output model's JSON schema.
    """

    name: str
    version: str = Field(min_length=1)
    system: str
    user: str

    @classmethod
    def load(cls, path: Path) -> Prompt:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        return cls(name=path.stem, **data)

    def messages(self, values: dict[str, Any]) -> tuple[Message, ...]:
        # substitute (not safe_substitute): a slot without a value is a bug, not an empty string.
        return (
            Message(role="system", content=Template(self.system).substitute(values)),
            Message(role="user", content=Template(self.user).substitute(values)),
        )


@dataclass(frozen=True)
class Task(Generic[InputT, OutputT]):
    name: str
    description: str
    prompt: Prompt
    input_model: type[InputT]
    output_model: type[OutputT]
    alias: str = "default"
    # Who answers for this task's prompt, evals and NFRs: a CODEOWNERS owner (docs/governance.md).
    owner: str | None = None
    parameters: GenerationParameters = field(default_factory=GenerationParameters)

    @cached_property
    def output_schema(self) -> dict[str, Any]:
        # Generating a JSON schema costs more than the rest of building a request.
        return self.output_model.model_json_schema()

    @cached_property
    def output_schema_json(self) -> str:
        return orjson.dumps(self.output_schema).decode()

    async def run(
        self, gateway: ModelGateway, task_input: InputT, spend_limits: Sequence[SpendLimit] = ()
    ) -> ModelResponse[OutputT]:
        return await gateway.generate(
            self.alias,
            self.build_request(task_input),
            output_model=self.output_model,
            task=self.name,
            spend_limits=spend_limits,
        )

    def stream(
        self, gateway: ModelGateway, task_input: InputT, spend_limits: Sequence[SpendLimit] = ()
    ) -> AsyncIterator[StreamEvent[OutputT]]:
        return gateway.stream(
            self.alias,
            self.build_request(task_input),
            output_model=self.output_model,
            task=self.name,
            spend_limits=spend_limits,
        )

    def build_request(self, task_input: InputT) -> ModelRequest:
        schema = self.output_schema
        values = {**task_input.model_dump(mode="json"), "output_schema": self.output_schema_json}
        return ModelRequest(
            messages=self.prompt.messages(values),
            parameters=self.parameters,
            output_schema=schema,
            prompt=PromptRef(name=self.prompt.name, version=self.prompt.version),
            metadata={"task": self.name},
        )


def prompt_file(module_file: str, variant: str | None = None) -> Prompt:
    """The prompt that sits next to a task module: `catalog/<task>.toml` for `<task>.py`, or
    the variant `catalog/<task>.<variant>.toml`, which keeps the prompt's name: variants of a
    prompt differ by their `version`."""
    path = Path(module_file)
    name = f"{path.stem}.{variant}.toml" if variant else f"{path.stem}.toml"
    prompt = Prompt.load(path.with_name(name))
    return prompt.model_copy(update={"name": path.stem})
