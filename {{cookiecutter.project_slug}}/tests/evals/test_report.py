"""The reports of a run with a regression, a known failure and an error: JUnit, Markdown, HTML."""

from __future__ import annotations

import re
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest

from {{ cookiecutter.package_name }}.core.settings import Settings
from {{ cookiecutter.package_name }}.evals.layout import EvalLayout
from {{ cookiecutter.package_name }}.evals.report import REPORT_FILES, html_report, write_reports
from {{ cookiecutter.package_name }}.evals.report.junit import junit_xml
from {{ cookiecutter.package_name }}.evals.report.markdown import markdown_summary
from {{ cookiecutter.package_name }}.evals.results import SuiteResults, load_results
from {{ cookiecutter.package_name }}.evals.run import EvalMode, run_suite

from .eval_project import SUITE, answer, correct_answers, write_baseline, write_recordings


@pytest.fixture
async def results(layout: EvalLayout, eval_settings: Settings) -> SuiteResults:
    """Baseline: dark-mode fails. Now: api-down regresses, password-reset errors."""
    write_recordings(
        layout, correct_answers() | {"dark-mode": [answer("dark-mode", urgency="urgent")]}
    )
    blessed = await run_suite(eval_settings, layout, SUITE, EvalMode.REPLAY)
    write_baseline(layout, blessed)
    answers = correct_answers() | {
        "dark-mode": [answer("dark-mode", urgency="urgent")],
        "api-down": [answer("api-down", category="billing", summary="<script>alert(1)</script>")],
    }
    del answers["password-reset"]
    write_recordings(layout, answers)
    return await run_suite(eval_settings, layout, SUITE, EvalMode.REPLAY)


def test_junit_fails_regressions_and_gates_and_skips_known_failures(results: SuiteResults) -> None:
    root = ET.fromstring(junit_xml(results))  # noqa: S314 - our own output

    suite = root.find("testsuite")
    assert suite is not None
    outcome = {
        case.get("name"): next((child.tag for child in case), "passed")
        for case in suite.iter("testcase")
    }
    assert outcome == {
        "double-charge": "passed",
        "api-down": "failure",
        "password-reset": "error",
        "dark-mode": "skipped",
        "max_error_rate": "failure",
        "min_pass_rate": "failure",  # 1 of 3 measured cases passes.
        "max_regressions": "failure",
    }
    assert (suite.get("tests"), suite.get("failures"), suite.get("errors")) == ("7", "4", "1")
    assert root.get("skipped") == "1"


def test_the_markdown_summary_leads_with_the_verdict_and_lists_what_changed(
    results: SuiteResults,
) -> None:
    summary = markdown_summary(results)

    assert summary.startswith("## Eval `triage`: ❌ too many errors (exit 2)\n")
    assert "| error rate | ≤ 0.0% | 25.0% | ❌ |" in summary
    assert (
        "### Regressions: passed in the baseline, fail now (1)\n\n- `api-down`: fields:" in summary
    )
    assert (
        "### Errors: not measured, not scored (1)\n\n- `password-reset`: stale_recording" in summary
    )
    assert "### Failing, as in the baseline (1)\n\n- `dark-mode`: fields:" in summary
    assert "| fields | 0.667 | 0.875 | -0.208 |" in summary


def test_the_html_report_is_one_offline_file_with_a_chart(results: SuiteResults) -> None:
    page = html_report(results)

    assert "<script" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert not re.search(r"""(src|href)=["']?https?:""", page)
    chart = page[page.index("<svg") : page.index("</svg>")]
    assert chart.count('fill="#2563eb"') == 1 + 2  # The legend, then one bar per scorer...
    assert chart.count('fill="#9ca3af"') == 1 + 2  # ...against the baseline's.
    for heading in ("Regressions", "Errors", "Every case"):
        assert f"<h2>{heading}" in page


def test_every_report_is_written_and_results_json_reads_back(
    results: SuiteResults, tmp_path: Path
) -> None:
    results_path = write_reports(results, tmp_path / "out")

    assert sorted(path.name for path in (tmp_path / "out").iterdir()) == sorted(REPORT_FILES)
    assert load_results(results_path) == results
