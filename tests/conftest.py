from __future__ import annotations

from pathlib import Path

import pytest

from .baking import bake


@pytest.fixture(scope="session")
def default_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The template baked with every default answer, shared by read-only tests."""
    return bake(tmp_path_factory.mktemp("default"))
