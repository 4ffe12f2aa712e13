"""Count the audit's false failures on the corpus (tests/corpus/*/expected.toml).

    python tests/tools/corpus_false_failures.py [--verbose]

Runs `python -m cookiecutter_ai_service audit --format json` (whichever version PYTHONPATH
gives, so an older checkout can be measured too) on a copy of each excerpt, and compares every
reported failure with the verdict judged by hand: a failure where the hand verdict is not
`fail` is false. Also counts controls that pass where the hand verdict is `fail` (missed).
Prints one line per repository and a total; exits 0 when false failures are at most 1 in 20.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tempfile
import tomllib
from pathlib import Path

CORPUS = Path(__file__).resolve().parent.parent / "corpus"


def audit(path: Path) -> list[dict[str, object]]:
    command = ["audit", "--format", "json", "--fail-on", "never", "--select", "control"]
    run = subprocess.run(
        [sys.executable, "-m", "cookiecutter_ai_service", *command, str(path)],
        capture_output=True,
        text=True,
        check=False,
    )
    document = json.loads(run.stdout)
    return list(document["reports"][0]["results"])


def main() -> int:
    verbose = "--verbose" in sys.argv
    total = false = missed = 0
    with tempfile.TemporaryDirectory() as scratch:
        for folder in sorted(p for p in CORPUS.iterdir() if (p / "expected.toml").is_file()):
            expected = tomllib.loads((folder / "expected.toml").read_text())
            copy = Path(scratch) / folder.name
            shutil.copytree(folder, copy)
            results = audit(copy)
            failed = [r for r in results if r["status"] == "fail"]
            wrong = [r for r in failed if expected.get(str(r["id"]), {}).get("status") != "fail"]
            passed_wrongly = [
                r
                for r in results
                if r["status"] == "pass" and expected.get(str(r["id"]), {}).get("status") == "fail"
            ]
            total, false, missed = (
                total + len(failed),
                false + len(wrong),
                missed + len(passed_wrongly),
            )
            print(
                f"{folder.name:32} failures {len(failed):3}  false {len(wrong):3}  "
                f"passed wrongly {len(passed_wrongly):2}"
            )
            if verbose:
                for result in wrong:
                    print(f"    false: {result['id']} {str(result['message'])[:150]}")
                for result in passed_wrongly:
                    print(f"    missed: {result['id']}")
    ratio = false / total if total else 0.0
    print(f"{'total':32} failures {total:3}  false {false:3}  passed wrongly {missed:2}")
    print(f"false failures: {false} of {total} ({ratio:.1%}); target at most 1 in 20 (5%)")
    return 0 if ratio <= 0.05 else 1


if __name__ == "__main__":
    sys.exit(main())
