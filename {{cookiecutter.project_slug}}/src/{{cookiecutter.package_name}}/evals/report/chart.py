"""An inline SVG bar chart of the mean score per scorer, now against the baseline."""

from __future__ import annotations

from html import escape

LABEL_WIDTH = 180
BAR_WIDTH = 360
ROW_HEIGHT = 44
NOW_COLOUR = "#2563eb"
BASELINE_COLOUR = "#9ca3af"


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
