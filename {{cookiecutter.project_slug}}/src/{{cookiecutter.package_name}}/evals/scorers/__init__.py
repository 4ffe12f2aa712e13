"""The scorers: every `@scorer` in a module of this package is registered by its name.

Add one by writing a function in a new or existing module here; see docs/evals.md.
"""

from .scorer import (
    NO_OUTPUT,
    BoundScorer,
    ModelAliasOptions,
    NoOptions,
    Observation,
    Score,
    Scorer,
    scorer,
    scorer_registry,
)

__all__ = [
    "NO_OUTPUT",
    "BoundScorer",
    "ModelAliasOptions",
    "NoOptions",
    "Observation",
    "Score",
    "Scorer",
    "scorer",
    "scorer_registry",
]
