"""Recordings: keys cover everything that shapes an answer and nothing about where it was sent;
replay answers in recorded order and refuses the unrecorded; a corrupt file names its line."""

from __future__ import annotations

from pathlib import Path

import pytest

from {{ cookiecutter.package_name }}.evals.layout import EvalConfigError
from {{ cookiecutter.package_name }}.evals.recordings import (
    MissingRecordingError,
    ReplayModelClient,
    load_recordings,
    request_key,
)
from {{ cookiecutter.package_name }}.llm.types import GenerationParameters, PromptRef

from .eval_project import case_request, correct_answers, write_recordings, write_suite


def test_the_key_covers_messages_parameters_schema_and_prompt_version() -> None:
    request = case_request("api-down")
    changes = {
        "parameters": GenerationParameters(temperature=0.5),
        "output_schema": {"type": "object"},
        "prompt": PromptRef(name="triage_ticket", version="2"),
        "messages": request.messages[:1],
    }
    keys = {
        request_key(request.model_copy(update={name: value})) for name, value in changes.items()
    }

    assert request_key(request) not in keys
    assert len(keys) == len(changes)


def test_the_key_ignores_metadata_and_is_stable() -> None:
    request = case_request("api-down")

    assert request_key(request) == request_key(case_request("api-down"))
    assert request_key(request) == request_key(
        request.model_copy(update={"metadata": {"task": "renamed", "request_id": "r-1"}})
    )


async def test_replay_answers_in_recorded_order_and_refuses_the_unrecorded(tmp_path: Path) -> None:
    layout = write_suite(tmp_path)
    write_recordings(layout, {"api-down": ["first", "second"]})
    client = ReplayModelClient(load_recordings(layout.recordings_file("triage")), tmp_path)

    assert (await client.generate(case_request("api-down"))).text == "first"
    assert [event async for event in client.stream(case_request("api-down"))][-1].text == "second"
    with pytest.raises(MissingRecordingError, match="2 answer"):
        await client.generate(case_request("api-down"))
    with pytest.raises(MissingRecordingError, match="the case is new"):
        await client.generate(case_request("dark-mode"))


async def test_replay_without_a_recordings_file_names_it(tmp_path: Path) -> None:
    client = ReplayModelClient(None, tmp_path / "missing.jsonl")

    with pytest.raises(MissingRecordingError, match=r"missing\.jsonl does not exist"):
        await client.generate(case_request("api-down"))


def test_recordings_are_written_sorted_so_re_recording_diffs_cleanly(tmp_path: Path) -> None:
    layout = write_suite(tmp_path)
    write_recordings(layout, correct_answers())
    first = layout.recordings_file("triage").read_bytes()
    write_recordings(layout, dict(reversed(correct_answers().items())))

    assert layout.recordings_file("triage").read_bytes() == first
    assert first.endswith(b"\n")


def test_a_corrupt_recording_names_the_file_and_the_line(tmp_path: Path) -> None:
    from {{ cookiecutter.package_name }}.evals.recordings import load_recordings

    path = tmp_path / "recordings.jsonl"
    path.write_text(
        '{"format": "eval-recordings", "version": 1, "suite": "s", '
        '"recorded_with": [], "models_file": "m"}\n{"key": "k"}\n'
    )

    with pytest.raises(EvalConfigError, match=f"{path}:2: case: Field required"):
        load_recordings(path)
