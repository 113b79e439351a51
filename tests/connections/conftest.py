"""Shared fixtures of the connections tests, and the precision figures in the test output."""

import pytest

from connections.similarity import neighbours_rebuild

FIGURES = ("precision_at_5", "random_same_categories_at_5")


@pytest.fixture
def rebuild():
    """``rebuild()``: every member's document and neighbours, computed now, in this process."""
    return lambda: neighbours_rebuild(force=True)


def pytest_terminal_summary(terminalreporter):
    # The quality test records its figures; xdist carries them back in each report.
    for report in terminalreporter.stats.get("passed", []) + terminalreporter.stats.get(
        "failed", []
    ):
        figures = dict(report.user_properties)
        if any(name in figures for name in FIGURES):
            terminalreporter.write_sep("-", "similar members: quality on the cluster fixture")
            for name in FIGURES:
                if name in figures:
                    terminalreporter.write_line(f"{name}: {figures[name]}")
