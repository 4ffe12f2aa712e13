"""The generated CI runs the governance checks: owners, a fresh model card, readiness."""

from __future__ import annotations

import pytest

from .baking import TEMPLATE_DIR

PROJECT = TEMPLATE_DIR / "{{cookiecutter.project_slug}}"


@pytest.mark.parametrize("ci_file", [".github/workflows/ci.yml", ".gitlab-ci.yml"])
def test_ci_runs_the_governance_checks_after_the_evals(ci_file: str) -> None:
    text = (PROJECT / ci_file).read_text()

    evals = text.index("make eval\n")
    assert text.index("make check-owners check-model-card") > evals
    assert text.index("make readiness") > evals  # Readiness reads the eval run's results.
    assert "var/readiness/" in text


def test_make_check_runs_them_too() -> None:
    makefile = (PROJECT / "Makefile").read_text()
    check = next(line for line in makefile.splitlines() if line.startswith("check:"))

    assert check.index("eval") < check.index("readiness")
    assert "check-owners" in check and "check-model-card" in check


@pytest.mark.parametrize("provider", ["fake", "openai", "anthropic"])
def test_each_provider_ships_its_model_card(provider: str) -> None:
    card = PROJECT / "docs" / f"model-card.{provider}.md"
    assert card.read_text().startswith("# Model card\n")


def test_the_image_carries_nfr_toml() -> None:
    assert "COPY --from=builder /app/nfr.toml /app/nfr.toml" in (PROJECT / "Dockerfile").read_text()
