"""`report.html`: one self-contained file (inline CSS and SVG, no script, no network) to open
from a CI artifact or a laptop."""

from __future__ import annotations

from html import escape

import orjson

from ..results import CaseResult, SuiteResults
from .chart import scorer_chart
from .wording import (
    case_problem,
    gate_row,
    known_failure,
    percent,
    regressed,
    run_line,
    score_text,
    verdict,
)

STYLE = """
body { font: 14px/1.45 system-ui, sans-serif; margin: 2rem auto; max-width: 72rem; color: #111 }
table { border-collapse: collapse; margin: .5rem 0 1.5rem } td, th { padding: .3rem .6rem;
border-bottom: 1px solid #e5e7eb; text-align: left; vertical-align: top }
.pass { color: #15803d } .fail { color: #b91c1c } .error { color: #b45309 }
.muted { color: #6b7280 }
code, pre { font: 12px ui-monospace, monospace } pre { white-space: pre-wrap; margin: 0 }
"""


def html_report(results: SuiteResults) -> str:
    comparison = results.comparison
    baseline_means = comparison.baseline_scorer_means if comparison else {}
    status = "pass" if results.exit_code == 0 else "fail"
    body = [
        f"<h1>Eval {escape(results.suite)}: <span class={status}>{escape(verdict(results))}"
        f"</span> <span class=muted>(exit {results.exit_code})</span></h1>",
        f"<p class=muted>{escape(run_line(results).replace('`', ''))}</p>",
        "<h2>Gates</h2>",
        table(
            ["Gate", "Limit", "Actual", ""],
            [[*map(escape, gate_row(g)), mark(g.passed)] for g in results.gates],
        ),
        f"<p>Pass rate {percent(results.aggregate.pass_rate)}, pass@1 "
        f"{percent(results.aggregate.pass_at_1)}, errors {results.aggregate.errored_attempts} of "
        f"{results.aggregate.attempts} attempts, baseline "
        f"{escape(comparison.baseline) if comparison else 'none'}.</p>",
        "<h2>Mean score per scorer</h2>",
        scorer_chart(results.aggregate.scorer_means, baseline_means),
    ]
    listed = {
        "Regressions: passed in the baseline, fail now": [
            [code(c.id), escape("; ".join(c.failed_scorers))]
            for c in (comparison.regressions if comparison else ())
        ],
        "Errors: not measured, not scored": [
            [code(c.id), escape(case_problem(c))]
            for c in results.cases
            if c.measured < len(c.attempts)
        ],
        "Flaky: passed some repeats and failed others": [
            [code(c.id), f"{c.passes}/{c.measured} passed"] for c in results.cases if c.flaky
        ],
    }
    for title, rows in listed.items():
        if rows:
            body += [f"<h2>{escape(title)} ({len(rows)})</h2>", table(["Case", "Why"], rows)]
    body += ["<h2>Every case</h2>", cases_table(results)]
    return (
        '<!doctype html>\n<html lang="en"><head><meta charset="utf-8">'
        f"<title>Eval {escape(results.suite)}</title><style>{STYLE}</style></head>\n<body>\n"
        + "\n".join(body)
        + "\n</body></html>\n"
    )


def cases_table(results: SuiteResults) -> str:
    labels = list(results.aggregate.scorer_means) or [s.name for s in results.scorers]
    rows = [
        [
            code(case.id),
            case_status(results, case),
            score_text(case.mean_score),
            *(escape(scorer_cell(case, label)) for label in labels),
            f"<pre>{escape(last_output(case))}</pre>",
        ]
        for case in results.cases
    ]
    return table(["Case", "Result", "Score", *map(escape, labels), "Output"], rows)


def case_status(results: SuiteResults, case: CaseResult) -> str:
    if case.measured < len(case.attempts):
        return f"<span class=error>error</span> <pre>{escape(case_problem(case))}</pre>"
    if case.passed:
        return mark(True) + (" flaky" if case.flaky else "")
    suffix = ""
    if regressed(results, case):
        suffix = " <strong>regressed</strong>"
    elif known_failure(results, case):
        suffix = " <span class=muted>(as in the baseline)</span>"
    return f"{mark(False)}{suffix} <pre>{escape(case_problem(case))}</pre>"


def scorer_cell(case: CaseResult, label: str) -> str:
    values = [a.scores[label].value for a in case.attempts if label in a.scores]
    return " / ".join(f"{value:.2f}" for value in values) or "n/a"


def last_output(case: CaseResult) -> str:
    outputs = [a.output for a in case.attempts if a.output is not None]
    return orjson.dumps(outputs[-1], option=orjson.OPT_INDENT_2).decode() if outputs else ""


def table(headings: list[str], rows: list[list[str]]) -> str:
    head = "".join(f"<th>{heading}</th>" for heading in headings)
    body = "".join("<tr>" + "".join(f"<td>{cell}</td>" for cell in row) + "</tr>" for row in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def mark(passed: bool) -> str:
    return "<span class=pass>✔ pass</span>" if passed else "<span class=fail>✘ fail</span>"


def code(text: str) -> str:
    return f"<code>{escape(text)}</code>"
