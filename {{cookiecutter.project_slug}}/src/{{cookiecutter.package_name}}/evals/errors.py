"""Why an eval could not run, or could not measure a case."""

from __future__ import annotations

from pydantic import ValidationError

from ..core.validation_errors import describe_errors


class EvalConfigError(Exception):
    """A suite, dataset, recording, baseline or model configuration is unusable (exit code 3).

    The message names the file, and the field or line number where the problem is.
    """


class MissingRecordingError(Exception):
    """Replay has no recorded answer for a request.

    Never a `ModelError`, so the gateway neither retries nor falls back: the runner reports it
    as an error of the case (unmeasured), never as a score.
    """


def describe_problems(error: ValidationError, prefix: str = "") -> str:
    """Pydantic's errors as `field.path: message; ...`, the paths as the file spells them."""
    return "; ".join(describe_errors(error, prefix=prefix, top="(top level)"))
