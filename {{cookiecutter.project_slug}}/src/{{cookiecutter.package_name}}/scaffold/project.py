"""The checkout a scaffold writes into, and the package data it writes from."""

from __future__ import annotations

from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path
from string import Template

PACKAGE = __name__.split(".")[0]


class ScaffoldError(Exception):
    """The scaffold cannot run here, or a step failed; the message says what to do."""


@dataclass(frozen=True)
class Project:
    root: Path

    @classmethod
    def here(cls, root: Path | None = None) -> Project:
        """The project in the current directory, when it is the checkout the code runs from."""
        root = (root or Path.cwd()).resolve()
        package_dir = Path(str(files(PACKAGE))).resolve()
        if package_dir != root / "src" / PACKAGE or not (root / "pyproject.toml").is_file():
            msg = (
                f"run this from the project's root, in a checkout where {PACKAGE} is imported "
                f"from src/ (uv sync installs it that way); found {package_dir}"
            )
            raise ScaffoldError(msg)
        return cls(root)

    @property
    def package(self) -> Path:
        return self.root / "src" / PACKAGE

    def write_new(self, files: dict[Path, str], *, also_new: tuple[Path, ...] = ()) -> list[Path]:
        """Write new files, all or none: nothing is written when any of them (or of `also_new`,
        files a later step writes) exists already."""
        existing = [str(p.relative_to(self.root)) for p in [*files, *also_new] if p.exists()]
        if existing:
            msg = f"{', '.join(existing)} exists already; nothing was written"
            raise ScaffoldError(msg)
        for path, text in files.items():
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
        return list(files)


def render(template: str, **values: str) -> str:
    """A template of `templates/`, with `$name` slots filled (`$$` is a literal `$`)."""
    text = (files(__name__.rpartition(".")[0]) / "templates" / template).read_text(encoding="utf-8")
    return Template(text).substitute(package=PACKAGE, **values)
