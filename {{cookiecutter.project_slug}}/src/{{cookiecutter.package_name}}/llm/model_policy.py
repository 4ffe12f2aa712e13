"""What production accepts in a models file: no alias that can end on the offline `fake`
provider, and no moving model id (`-latest`, `preview`, an undated snapshot) without a reason.

Development and test may use both; start-up warns about them in every environment.
"""

from __future__ import annotations

import re

from .config import ModelsConfig

# A dated snapshot ends in a date: gpt-4.1-mini-2025-04-14, claude-haiku-4-5-20251001.
DATED = re.compile(r"(?:\d{4}-\d{2}-\d{2}|\d{8})$")
MOVING_WORDS = ("latest", "preview")


def alias_chain(config: ModelsConfig, alias: str) -> list[str]:
    """Every deployment a call to `alias` can end on, in order: its own fallbacks, then those
    of the alias it switches to when over budget, and so on."""
    chain: list[str] = []
    seen: set[str] = set()
    current: str | None = alias
    while current is not None and current not in seen:
        seen.add(current)
        chain.extend(d for d in config.aliases[current].deployments if d not in chain)
        current = config.aliases[current].over_budget_alias
    return chain


def aliases_reaching_fake(config: ModelsConfig) -> dict[str, list[str]]:
    """Alias -> its deployment chain, for each alias that can be served by `fake`."""
    reaching = {}
    for alias in config.aliases:
        chain = alias_chain(config, alias)
        if any(config.deployments[d].provider == "fake" for d in chain):
            reaching[alias] = chain
    return reaching


def moving_reason(model: str) -> str | None:
    """Why a model id may change under the service, or None when it names a fixed snapshot."""
    lowered = model.lower()
    for word in MOVING_WORDS:
        if word in lowered:
            return f"names a moving version ({word!r})"
    if not DATED.search(lowered):
        return "is not a dated snapshot"
    return None


def unpinned_deployments(config: ModelsConfig) -> dict[str, str]:
    """Deployment -> why its model id moves, for those not allowed with `allow_moving_model`."""
    return {
        name: f"{deployment.provider}/{deployment.model} {reason}"
        for name, deployment in config.deployments.items()
        if deployment.provider != "fake"
        and deployment.allow_moving_model is None
        and (reason := moving_reason(deployment.model)) is not None
    }


def policy_problems(config: ModelsConfig) -> list[str]:
    """Each reason production refuses this config, as a sentence naming alias or deployment."""
    problems = [
        f"alias {alias!r} can be served by the offline fake provider (chain: {' -> '.join(chain)})"
        for alias, chain in aliases_reaching_fake(config).items()
    ]
    problems += [
        f'deployment {name!r}: {why}; pin a dated snapshot or set allow_moving_model = "<reason>"'
        for name, why in unpinned_deployments(config).items()
    ]
    return problems
