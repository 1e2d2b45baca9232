"""The class's results as a CSV file, safe to open in a spreadsheet."""

from __future__ import annotations

import csv
import io

from engine.challenges import ranked

COLUMNS = ("rank", "name", "architecture", "parameters", "best_test_loss", "epoch",
           "met_goal_at_epoch")  # fmt: skip
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def cell(value) -> str:
    """A value as a CSV cell; a name a spreadsheet would run as a formula ("=HYPERLINK(…")
    starts with a quote instead, so it shows as the text it is."""
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.6g}"
    text = str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def results_csv(rows: list[dict]) -> str:
    """One line per student, in the goal's order (engine.challenges.ranked)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    for rank, row in enumerate(ranked(rows), start=1):
        writer.writerow(
            [
                cell(value)
                for value in (
                    rank,
                    row.get("name"),
                    row.get("architecture"),
                    row.get("parameters"),
                    row.get("best_test_loss"),
                    row.get("epoch"),
                    row.get("met_epoch"),
                )
            ]  # fmt: skip
        )
    return out.getvalue()
