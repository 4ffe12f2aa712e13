"""The audit on excerpts of real repositories (tests/corpus/<name>/): every control's verdict
matches the one judged by hand in expected.toml, so a change that flips one fails here.

Each excerpt is copied out of this repository first, so it is audited as a repository of its
own (its top is its repository root, as it was upstream).
"""

from __future__ import annotations

import shutil
import tomllib
from pathlib import Path
from typing import Any

import pytest

from .auditing import audit

CORPUS = Path(__file__).parent / "corpus"
NAMES = sorted(path.name for path in CORPUS.iterdir() if (path / "expected.toml").is_file())
MAX_FIXTURE_BYTES = 300_000


def expected(name: str) -> dict[str, Any]:
    return tomllib.loads((CORPUS / name / "expected.toml").read_text())


@pytest.fixture(scope="module")
def reports(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, Any]]:
    found = {}
    for name in NAMES:
        copy = tmp_path_factory.mktemp("corpus") / name
        shutil.copytree(CORPUS / name, copy)
        output = copy.parent / "report.json"
        _, document = audit(copy, "--fail-on", "never", "--select", "control", output=output)
        found[name] = document["reports"][0]
    return found


def test_the_corpus_has_seven_shapes_with_origin_and_licence() -> None:
    assert len(NAMES) >= 7
    for name in NAMES:
        origin = tomllib.loads((CORPUS / name / "ORIGIN.toml").read_text())
        assert origin["repository"].startswith("https://github.com/"), name
        assert len(origin["commit"]) == 40 and origin["license"], name
        assert (CORPUS / name / "LICENSE").is_file(), name
        size = sum(p.stat().st_size for p in (CORPUS / name).rglob("*") if p.is_file())
        assert size < MAX_FIXTURE_BYTES, (name, size)


@pytest.mark.parametrize("name", NAMES)
def test_every_verdict_matches_the_hand_judged_one(
    name: str, reports: dict[str, dict[str, Any]]
) -> None:
    report = reports[name]
    got = {r["id"]: r for r in report["results"] if r["kind"] == "control"}
    wanted = expected(name)
    assert set(wanted) == set(got), set(wanted) ^ set(got)
    changed = {
        cid: (spec["status"], got[cid]["status"], got[cid]["message"][:200])
        for cid, spec in wanted.items()
        if spec["status"] != got[cid]["status"]
    }
    assert not changed, changed
    for cid, spec in wanted.items():
        assert spec["why"].strip(), cid


@pytest.mark.parametrize("name", NAMES)
def test_failures_point_at_a_file_and_skips_say_why(
    name: str, reports: dict[str, dict[str, Any]]
) -> None:
    report = reports[name]
    root = Path(report["repository_root"])
    for result in report["results"]:
        if result["status"] == "fail":
            assert result["path"], result
            assert result["message"], result
        if result["status"] == "skip":
            assert result["message"] and result["message"] != "nothing to check here", result
        if result["status"] == "fail" and result["line"]:
            assert (root / result["path"]).is_file(), result


@pytest.mark.parametrize(
    ("name", "service"),
    [
        ("full-stack-fastapi-template", "backend"),
        ("polar", "server"),
        ("opengpts", "backend"),
        ("fastapi-realworld", "."),
        ("private-gpt", "."),
        ("aoai-chatgpt", "."),
        ("rag-postgres", "src/backend"),
    ],
)
def test_the_service_root_is_detected(
    name: str, service: str, reports: dict[str, dict[str, Any]]
) -> None:
    assert reports[name]["service_root"] == service
