"""Where the service lives: the repository root (CI, ignore rules) and the service root.

A repository can hold the service at its top (`app/`, `src/<pkg>/`) or in a subfolder
(`backend/`, `server/`) beside a frontend, SDKs and infrastructure. The service root is the
folder of the Python project (pyproject.toml, setup.py, requirements*.txt) whose code creates
the web application; when several do, the one with the most application files wins, then the
shallowest. A repository with no such code keeps its top as the service root.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable

APP_FACTORY = re.compile(
    r"^\s*(?:\w+\s*(?::[^=]+)?=\s*|return\s+)(?:fastapi\.)?(?:FastAPI|Starlette|Litestar|Flask|Quart|"
    r"Sanic)\(|get_asgi_application\(|get_wsgi_application\(",
    re.M,
)
PROJECT_MARKERS = ("pyproject.toml", "setup.py", "setup.cfg", "requirements.txt")
# Folders whose code is never the deployed service.
NOT_SERVICE = frozenset(
    "tests test testing docs examples example scripts dev tools benchmarks load_tests e2e "
    "sdk sdks clients frontend node_modules migrations alembic fixtures".split()
)


def parent(path: str) -> str:
    return path.rsplit("/", 1)[0] if "/" in path else ""


def detect_service_root(files: Iterable[str], read: Callable[[str], str | None]) -> str:
    """The service's folder relative to the repository root ("" for the root itself)."""
    listed = set(files)
    projects = {parent(path) for path in listed if path.rsplit("/", 1)[-1] in PROJECT_MARKERS}
    votes: Counter[str] = Counter()
    for path in listed:
        if not path.endswith(".py") or any(part in NOT_SERVICE for part in path.split("/")[:-1]):
            continue
        text = read(path)
        if not text or not APP_FACTORY.search(text):
            continue
        folder = parent(path)
        while folder and folder not in projects:
            folder = parent(folder)
        votes[folder] += 1
    if not votes:
        return ""
    return min(votes, key=lambda folder: (-votes[folder], folder.count("/"), folder != "", folder))
