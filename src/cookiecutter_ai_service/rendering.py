"""Render the template with recorded answers, the way cookiecutter does, without side effects.

No prompts, no user config (~/.cookiecutterrc), no replay file, and the post-generation hook
told to skip `uv lock`: it then only removes files of unselected options, installs the
LICENSE and writes .cruft.json. The hooks' own output is kept off our stdout.
"""

from __future__ import annotations

import contextlib
import os
import sys
import tempfile
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import IO, Any

from cookiecutter.exceptions import CookiecutterException, FailedHookException
from cookiecutter.generate import generate_context, generate_files
from cookiecutter.prompt import prompt_for_config
from jinja2 import TemplateError

SKIP_LOCK_ENV = "AI_SERVICE_TEMPLATE_SKIP_LOCK"


class AnswersRefused(Exception):
    """The template at that commit refuses the recorded answers: the record does not fit (65)."""


class RenderFailed(Exception):
    """The template could not be rendered for another reason (70)."""


def render_answers(answers: Mapping[str, Any]) -> dict[str, Any]:
    """The answers to pass on: private and derived keys come from the template itself."""
    return {key: value for key, value in answers.items() if not key.startswith("_")}


def render(template_dir: Path, answers: Mapping[str, Any], output_dir: Path, label: str) -> Path:
    """Render into `output_dir`; returns the project directory."""
    with skip_lock(), silenced() as output:
        try:
            context = generate_context(
                context_file=str(template_dir / "cookiecutter.json"),
                default_context={},
                extra_context=render_answers(answers),
            )
            context["_cookiecutter"] = {
                k: v for k, v in context["cookiecutter"].items() if not k.startswith("_")
            }
            context["cookiecutter"].update(prompt_for_config(context, no_input=True))
            context["cookiecutter"]["_template"] = label
            context["cookiecutter"]["_output_dir"] = str(output_dir)
            context["cookiecutter"]["_repo_dir"] = str(template_dir)
            context["cookiecutter"]["_checkout"] = None
            project = generate_files(
                repo_dir=str(template_dir),
                context=context,
                output_dir=str(output_dir),
                accept_hooks=True,
            )
        except FailedHookException as error:
            raise AnswersRefused(
                f"the template refused the recorded answers: {error}\n{tail(output)}"
            ) from error
        except ValueError as error:
            raise AnswersRefused(
                f"the recorded answers do not fit the template: {error}"
            ) from error
        except (CookiecutterException, TemplateError, OSError) as error:
            raise RenderFailed(f"rendering failed: {error}\n{tail(output)}") from error
    return Path(project)


def tail(output: IO[bytes]) -> str:
    output.seek(0)
    return output.read().decode(errors="replace")[-2000:]


@contextlib.contextmanager
def skip_lock() -> Iterator[None]:
    previous = os.environ.get(SKIP_LOCK_ENV)
    os.environ[SKIP_LOCK_ENV] = "1"
    try:
        yield
    finally:
        if previous is None:
            os.environ.pop(SKIP_LOCK_ENV, None)
        else:
            os.environ[SKIP_LOCK_ENV] = previous


@contextlib.contextmanager
def silenced() -> Iterator[IO[bytes]]:
    """Send file descriptors 1 and 2 (the hooks inherit them) to a temporary file."""
    sys.stdout.flush()
    sys.stderr.flush()
    with tempfile.TemporaryFile() as sink:
        saved = os.dup(1), os.dup(2)
        os.dup2(sink.fileno(), 1)
        os.dup2(sink.fileno(), 2)
        try:
            yield sink
        finally:
            sys.stdout.flush()
            sys.stderr.flush()
            os.dup2(saved[0], 1)
            os.dup2(saved[1], 2)
            os.close(saved[0])
            os.close(saved[1])
