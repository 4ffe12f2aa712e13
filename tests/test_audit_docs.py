"""docs/audit.md explains every check and finding under an anchor the reports link to."""

from __future__ import annotations

import re

from cookiecutter_ai_service.checks import CHECKS
from cookiecutter_ai_service.findings import FINDINGS

from .baking import TEMPLATE_DIR

DOCS = TEMPLATE_DIR / "docs/audit.md"


def sections() -> dict[str, str]:
    """Anchor id -> the text of its section."""
    text = DOCS.read_text()
    parts = re.split(r'^<a id="([a-z0-9-]+)"></a>\n', text, flags=re.M)
    return {parts[i]: parts[i + 1] for i in range(1, len(parts) - 1, 2)}


def test_every_check_and_finding_has_a_section_with_why_and_fix() -> None:
    found = sections()
    ids = [check.__name__ for check in CHECKS] + [finding.id for finding in FINDINGS]
    for identifier in ids:
        section = found.get(identifier.lower())
        assert section is not None, f"docs/audit.md has no section for {identifier}"
        assert section.lstrip().startswith(f"### {identifier}"), identifier
        assert "**Why:**" in section and "**Fix:**" in section, identifier


def test_docs_cover_usage_exit_codes_schema_waivers_and_overrides() -> None:
    text = DOCS.read_text()
    for heading in ("## Usage", "## Exit codes", "## JSON report", "## Waivers", "## Roles"):
        assert heading in text
    for code in ("64", "65", "69", "70"):
        assert f"| {code} |" in text


def test_readme_links_the_audit_docs() -> None:
    assert "docs/audit.md" in (TEMPLATE_DIR / "README.md").read_text()
