"""Field types for what an upstream answers: every value bounded where the answer is parsed.

An upstream is not trusted: a count past any real call, a negative count or a model id the
size of a page must not reach the recorder (whose columns have limits) or a client.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import AfterValidator

from ...core.scrubbing import scrub

# No model reads or writes this many tokens in one call; a larger count is an upstream's bug.
MAX_TOKENS_PER_CALL = 100_000_000
# The width of inference_records.served_model.
MAX_MODEL_ID_CHARS = 200
# A key straddling the cut is still whole in this much text, so it is scrubbed before the cut.
_SCRUB_WINDOW = 4 * MAX_MODEL_ID_CHARS


def bounded_tokens(value: int | None) -> int | None:
    """A token count in [0, MAX_TOKENS_PER_CALL]; negative counts are read as 0."""
    if value is None:
        return None
    return min(max(value, 0), MAX_TOKENS_PER_CALL)


def bounded_model_id(value: str | None) -> str | None:
    """The served model id: printable, scrubbed of secrets, at most MAX_MODEL_ID_CHARS."""
    if value is None:
        return None
    printable = "".join(ch for ch in value[:_SCRUB_WINDOW] if ch.isprintable())
    return scrub(printable)[:MAX_MODEL_ID_CHARS] or None


TokenCount = Annotated[int | None, AfterValidator(bounded_tokens)]
ModelId = Annotated[str | None, AfterValidator(bounded_model_id)]
