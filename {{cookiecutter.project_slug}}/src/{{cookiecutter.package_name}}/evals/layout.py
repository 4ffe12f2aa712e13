"""Where a project keeps its eval files, and the error that names a file that is unusable."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pydantic import ValidationError

from ..core.validation_errors import describe_errors

DEFAULT_EVALS_DIR = Path("evals")
DEFAULT_REPORTS_DIR = Path("var/evals")


class EvalConfigError(Exception):
    """A suite, dataset, recording, baseline or model configuration is unusable (exit code 3).

    The message names the file, and the field or line number where the problem is.
    """


def describe_problems(error: ValidationError, prefix: str = "") -> str:
    """Pydantic's errors as `field.path: message; ...`, the paths as the file spells them."""
    return "; ".join(describe_errors(error, prefix=prefix, top="(top level)"))


@dataclass(frozen=True)
class EvalLayout:
    root: Path = DEFAULT_EVALS_DIR

    @property
    def suites_dir(self) -> Path:
        return self.root / "suites"

    def suite_file(self, suite: str) -> Path:
        return self.suites_dir / f"{suite}.toml"

    def dataset_file(self, relative: str) -> Path:
        return self.root / relative

    def recordings_file(self, suite: str) -> Path:
        return self.root / "recordings" / f"{suite}.jsonl"

    def baseline_file(self, suite: str) -> Path:
        return self.root / "baselines" / f"{suite}.json"

    @property
    def rubrics_dir(self) -> Path:
        return self.root / "rubrics"

    def rubric_file(self, rubric: str) -> Path:
        return self.rubrics_dir / f"{rubric}.md"

    def suite_names(self) -> list[str]:
        return sorted(path.stem for path in self.suites_dir.glob("*.toml"))
