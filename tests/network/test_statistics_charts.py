"""network.charts: accessible SVG, escaped labels, every value drawn."""

import re

import pytest
from defusedxml import ElementTree as ET

from network.charts import bar_chart, line_chart

SVG = "{http://www.w3.org/2000/svg}"


def parse(svg):
    return ET.fromstring(str(svg))


def test_a_bar_chart_is_an_image_named_by_its_title_and_summary():
    svg = bar_chart(
        chart_id="chart-x",
        title="Members by type",
        summary="Mostly NGOs.",
        labels=["NGO", "<script>alert(1)</script>"],
        values=[3, 1],
    )
    root = parse(svg)
    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == "chart-x-title chart-x-desc"
    assert root.find(f"{SVG}title").get("id") == "chart-x-title"
    assert root.find(f"{SVG}title").text == "Members by type"
    assert root.find(f"{SVG}desc").text == "Mostly NGOs."
    assert "<script>" not in str(svg)
    widths = [float(rect.get("width")) for rect in root.iter(f"{SVG}rect")]
    assert widths[0] == pytest.approx(3 * widths[1], abs=0.2)  # bars in proportion to their values
    assert [text.text for text in root.iter(f"{SVG}text")][1::2] == ["3", "1"]


def test_a_line_chart_draws_one_line_per_series_even_for_one_month():
    svg = line_chart(
        chart_id="chart-y",
        title="Growth",
        summary="Up.",
        labels=["2026-01"],
        series=[("Created", [4]), ("Claimed", [0])],
    )
    root = parse(svg)
    assert len(list(root.iter(f"{SVG}polyline"))) == 2
    assert len(list(root.iter(f"{SVG}circle"))) == 2
    assert re.search(r">Created<", str(svg)) and re.search(r">Claimed<", str(svg))


def test_empty_charts_still_render():
    assert parse(bar_chart(chart_id="a", title="t", summary="s", labels=[], values=[]))
    assert parse(line_chart(chart_id="b", title="t", summary="s", labels=[], series=[]))
