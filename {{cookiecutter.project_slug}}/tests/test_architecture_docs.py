"""The docs that map the code name modules that exist: a move or a rename updates them too."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parent.parent
PACKAGE = PROJECT / "src" / "{{ cookiecutter.package_name }}"
# A backticked path such as `llm/gateway.py`, `core/middleware/` or `config/models.toml`.
MODULE_PATH = re.compile(r"`((?:[a-z_]+/)*[a-z_]+(?:\.py|\.toml|/))`")


@pytest.mark.parametrize("doc", ["architecture.md", "models.md"])
def test_every_module_a_doc_names_exists(doc: str) -> None:
    text = (PROJECT / "docs" / doc).read_text(encoding="utf-8")
    named = set(MODULE_PATH.findall(text))

    missing = sorted(
        path for path in named if not (PACKAGE / path).exists() and not (PROJECT / path).exists()
    )

    assert named
    assert missing == []
