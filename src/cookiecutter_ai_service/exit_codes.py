"""Exit codes of `cookiecutter-ai-service audit`: findings are bits, "could not run" is a code.

0 clean; 1 control failures at or above --fail-on; 2 drift of owned files; 3 both.
The others mean the audit could not do its job, so they are never 0 and never mixed with bits.
"""

from __future__ import annotations

from collections.abc import Iterable

CLEAN = 0
CONTROL_FAILURES = 1
OWNED_DRIFT = 2
BAD_USAGE = 64  # EX_USAGE
INVALID_RECORD = 65  # EX_DATAERR: .cruft.json cannot be read as a version record
TEMPLATE_UNREACHABLE = 69  # EX_UNAVAILABLE: the template (or its commit) cannot be had offline
INTERNAL_ERROR = 70  # EX_SOFTWARE: a check or renderer crashed

# When several repositories fail to run in different ways, the most serious one is reported.
FAILURE_ORDER = (INTERNAL_ERROR, TEMPLATE_UNREACHABLE, INVALID_RECORD)


def combine(codes: Iterable[int]) -> int:
    """One exit code for several repositories: the worst 'could not run', else the OR of bits."""
    codes = list(codes)
    for failure in FAILURE_ORDER:
        if failure in codes:
            return failure
    bits = 0
    for code in codes:
        bits |= code & (CONTROL_FAILURES | OWNED_DRIFT)
    return bits
