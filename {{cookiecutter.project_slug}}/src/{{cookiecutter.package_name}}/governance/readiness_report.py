"""The readiness report: Markdown, and one self-contained HTML page with an inline SVG chart."""

from __future__ import annotations

from html import escape
from pathlib import Path

from .readiness import Finding, Status

MARKS = {Status.MET: "met", Status.VIOLATED: "VIOLATED", Status.NO_EVIDENCE: "no evidence"}
COLOURS = {Status.MET: "#2e7d32", Status.VIOLATED: "#c62828", Status.NO_EVIDENCE: "#9e9e9e"}


def verdict(findings: list[Finding]) -> str:
    violated = [f.nfr for f in findings if f.status is Status.VIOLATED]
    return "READY" if not violated else "NOT READY: " + ", ".join(violated)


def markdown(findings: list[Finding]) -> str:
    lines = [
        "# Readiness",
        "",
        f"**{verdict(findings)}**",
        "",
        "| NFR | Requirement | Evidence | Status |",
        "|---|---|---|---|",
    ]
    lines += [
        f"| `{f.nfr}` | {f.requirement} | {f.evidence} | {MARKS[f.status]} |" for f in findings
    ]
    return "\n".join(lines) + "\n"


def chart(findings: list[Finding]) -> str:
    """One bar per measured NFR: actual as a share of its limit; the line at 100% is the limit."""
    measured = [
        (f, min(actual / limit, 2.0))
        for f in findings
        if (limit := f.limit) and (actual := f.actual) is not None
    ]
    row, width, label = 28, 360, 300
    height = row * len(measured) + 20
    scale = width / 2  # 100% of the limit sits in the middle; bars stop at 200%.
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{label + width + 60}" '
        f'height="{height}" role="img" aria-label="Evidence as a share of each limit">'
    ]
    for i, (f, share) in enumerate(measured):
        y = 10 + i * row
        parts.append(f'<text x="0" y="{y + 16}" font-size="12">{escape(f.nfr)}</text>')
        parts.append(
            f'<rect x="{label}" y="{y + 4}" width="{share * scale:.1f}" height="16" '
            f'fill="{COLOURS[f.status]}"><title>{escape(f.evidence)} against '
            f"{escape(f.requirement)}</title></rect>"
        )
        parts.append(
            f'<text x="{label + share * scale + 4:.1f}" y="{y + 16}" font-size="11">'
            f"{share:.0%}</text>"
        )
    limit_x = label + scale
    parts.append(
        f'<line x1="{limit_x}" y1="0" x2="{limit_x}" y2="{height}" stroke="#000" '
        'stroke-dasharray="4 3"/>'
    )
    parts.append("</svg>")
    return "".join(parts)


def html(findings: list[Finding]) -> str:
    rows = "".join(
        f"<tr><td><code>{escape(f.nfr)}</code></td><td>{escape(f.requirement)}</td>"
        f'<td>{escape(f.evidence)}</td><td style="color:{COLOURS[f.status]}">'
        f"{MARKS[f.status]}</td></tr>"
        for f in findings
    )
    return (
        '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Readiness</title>'
        "<style>body{font-family:sans-serif;margin:2em}td,th{padding:4px 8px;"
        "border-bottom:1px solid #ddd;text-align:left}</style></head><body>"
        f"<h1>Readiness</h1><p><strong>{escape(verdict(findings))}</strong></p>"
        "<p>Each bar is the evidence as a share of its limit (dashed line: the limit; for a "
        "floor, a bar short of it is a violation).</p>"
        f"{chart(findings)}<table><tr><th>NFR</th><th>Requirement</th><th>Evidence</th>"
        f"<th>Status</th></tr>{rows}</table></body></html>\n"
    )


def write_reports(findings: list[Finding], out: Path) -> tuple[Path, Path]:
    out.mkdir(parents=True, exist_ok=True)
    md, page = out / "readiness.md", out / "readiness.html"
    md.write_text(markdown(findings), encoding="utf-8")
    page.write_text(html(findings), encoding="utf-8")
    return md, page
