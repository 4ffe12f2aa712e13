"""`report.html`: one self-contained file (inline CSS and SVG, no script, no network) to open
from a CI artifact or a laptop, with a bar chart of the mean score per scorer against the
baseline."""

from __future__ import annotations

from html import escape

import orjson

from ..results import CaseResult, SuiteResults
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

# The chart: pixels and colours.
LABEL_WIDTH = 180
BAR_WIDTH = 360
ROW_HEIGHT = 44
NOW_COLOUR = "#2563eb"
BASELINE_COLOUR = "#9ca3af"

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


def scorer_chart(now: dict[str, float], baseline: dict[str, float]) -> str:
    height = ROW_HEIGHT * len(now) + 36
    width = LABEL_WIDTH + BAR_WIDTH + 70
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" font-family="system-ui, sans-serif" role="img" '
        'aria-labelledby="chart-title">',
        '<title id="chart-title">Mean score per scorer, this run against the baseline</title>',
        legend(),
    ]
    for row, (label, value) in enumerate(now.items()):
        top = 30 + row * ROW_HEIGHT
        parts.append(
            f'<text x="0" y="{top + 13}" font-size="13">{escape(label)}</text>'
            + bar(top, value, 16, NOW_COLOUR)
        )
        if label in baseline:
            parts.append(bar(top + 19, baseline[label], 9, BASELINE_COLOUR))
    parts.append("</svg>")
    return "\n".join(parts)


def bar(top: float, value: float, thickness: int, colour: str) -> str:
    length = max(1.0, value * BAR_WIDTH)
    return (
        f'<rect x="{LABEL_WIDTH}" y="{top}" width="{length:.1f}" height="{thickness}" '
        f'fill="{colour}"/><text x="{LABEL_WIDTH + length + 6:.1f}" y="{top + thickness - 2}" '
        f'font-size="11">{value:.3f}</text>'
    )


def legend() -> str:
    return (
        f'<rect x="{LABEL_WIDTH}" y="4" width="12" height="12" fill="{NOW_COLOUR}"/>'
        f'<text x="{LABEL_WIDTH + 18}" y="14" font-size="12">this run</text>'
        f'<rect x="{LABEL_WIDTH + 90}" y="4" width="12" height="12" fill="{BASELINE_COLOUR}"/>'
        f'<text x="{LABEL_WIDTH + 108}" y="14" font-size="12">baseline</text>'
    )
