"""Small SVG charts drawn on the server: horizontal bars and lines, nothing else.

Each chart is an ``<svg role="img">`` with a ``<title>`` and a ``<desc>`` (the one-line summary)
named by ``aria-labelledby``, so a screen reader announces what the chart says; the numbers
themselves are in the data table printed beside every chart. Colours are presentation
attributes, not inline styles (the Content Security Policy forbids those); no script.
"""

from django.utils.html import format_html
from django.utils.safestring import mark_safe

# Okabe-Ito: told apart by readers with colour-vision deficiencies.
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#000000"]
WIDTH = 640
FONT = 'font-family="system-ui, sans-serif" font-size="12"'


def _nice_max(value):
    """The axis's top: a round number (1, 1.5, 2, 2.5, 3, 4, 5, 6 or 8 times a power of ten)
    at least ``value``, and at least 1."""
    value = max(value, 1)
    power = 1
    while True:
        for step in (1, 1.5, 2, 2.5, 3, 4, 5, 6, 8):
            if step * power >= value:
                top = step * power
                return int(top) if top == int(top) else top
        power *= 10


def _open(chart_id, title, summary, height):
    return format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" class="stat-chart" role="img" '
        'viewBox="0 0 {} {}" width="100%" aria-labelledby="{}-title {}-desc">'
        '<title id="{}-title">{}</title><desc id="{}-desc">{}</desc>',
        WIDTH,
        height,
        chart_id,
        chart_id,
        chart_id,
        title,
        chart_id,
        summary,
    )


def _short(label, length=32):
    label = str(label)
    return label if len(label) <= length else label[: length - 1] + "…"


def bar_chart(*, chart_id, title, summary, labels, values):
    """Horizontal bars, one per label, longest scale at the largest value."""
    row, top, label_width = 22, 8, 230
    height = top * 2 + row * max(len(labels), 1)
    scale = max(max(values, default=0), 1)  # each bar is labelled with its value: no axis
    plot = WIDTH - label_width - 60
    parts = [_open(chart_id, title, summary, height)]
    for index, (label, value) in enumerate(zip(labels, values, strict=True)):
        y = top + index * row
        length = round(plot * value / scale, 1)
        parts.append(
            format_html(
                '<text x="{}" y="{}" text-anchor="end" {} fill="#212529">{}</text>'
                '<rect x="{}" y="{}" width="{}" height="{}" fill="{}"/>'
                '<text x="{}" y="{}" {} fill="#212529">{}</text>',
                label_width - 6,
                y + 15,
                mark_safe(FONT),  # noqa: S308 (a constant of this module)
                _short(label),
                label_width,
                y + 3,
                length,
                row - 6,
                PALETTE[0],
                label_width + length + 4,
                y + 15,
                mark_safe(FONT),  # noqa: S308
                value,
            )
        )
    parts.append(mark_safe("</svg>"))
    return mark_safe("".join(parts))  # noqa: S308 (every piece escaped by format_html)


def line_chart(*, chart_id, title, summary, labels, series):
    """One line per ``(name, values)`` of ``series`` over the x ``labels`` (months), with a
    legend; values start from zero."""
    left, right, top, bottom = 48, 32, 12, 58
    height = 240
    plot_w, plot_h = WIDTH - left - right, height - top - bottom
    scale = _nice_max(max((max(values, default=0) for _name, values in series), default=0))
    step = plot_w / max(len(labels) - 1, 1)
    font = mark_safe(FONT)  # noqa: S308
    parts = [_open(chart_id, title, summary, height)]
    # Axes: zero and the top value, and the baseline.
    parts.append(
        format_html(
            '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="#6c757d"/>'
            '<text x="{}" y="{}" text-anchor="end" {} fill="#212529">0</text>'
            '<text x="{}" y="{}" text-anchor="end" {} fill="#212529">{}</text>'
            '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="#dee2e6"/>',
            left,
            top + plot_h,
            left + plot_w,
            top + plot_h,
            left - 6,
            top + plot_h + 4,
            font,
            left - 6,
            top + 4,
            font,
            scale,
            left,
            top,
            left + plot_w,
            top,
        )
    )
    # About six labels on the x axis, whatever the number of months.
    every = max(1, -(-len(labels) // 6))
    for index, label in enumerate(labels):
        if index % every == 0:
            parts.append(
                format_html(
                    '<text x="{}" y="{}" text-anchor="middle" {} fill="#212529">{}</text>',
                    round(left + index * step, 1),
                    top + plot_h + 16,
                    font,
                    label,
                )
            )
    for number, (name, values) in enumerate(series):
        colour = PALETTE[number % len(PALETTE)]
        points = " ".join(
            f"{left + index * step:.1f},{top + plot_h - plot_h * value / scale:.1f}"
            for index, value in enumerate(values)
        )
        parts.append(
            format_html(
                '<polyline points="{}" fill="none" stroke="{}" stroke-width="2"/>', points, colour
            )
        )
        if len(values) == 1:
            parts.append(
                format_html(
                    '<circle cx="{}" cy="{}" r="3" fill="{}"/>',
                    left,
                    round(top + plot_h - plot_h * values[0] / scale, 1),
                    colour,
                )
            )
        x = left + number * 150
        parts.append(
            format_html(
                '<rect x="{}" y="{}" width="12" height="12" fill="{}"/>'
                '<text x="{}" y="{}" {} fill="#212529">{}</text>',
                x,
                height - 20,
                colour,
                x + 16,
                height - 10,
                font,
                _short(name, 20),
            )
        )
    parts.append(mark_safe("</svg>"))
    return mark_safe("".join(parts))  # noqa: S308 (every piece escaped by format_html)
