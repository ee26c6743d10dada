"""The one CSV helper: spreadsheet formulas in text are neutralised, numbers are not touched."""

import csv
import io
from decimal import Decimal

import pytest

from programmes.csv_export import csv_cell, csv_response, csv_write


@pytest.mark.parametrize(
    "text",
    ["=cmd|' /C calc'!A0", "+44 1392 000000", "-2+3", "@SUM(1+1)", "\t=1+1", "\r=1+1"],
)
def test_csv_cell_text_starting_like_a_formula_gets_a_quote(text):
    assert csv_cell(text) == "'" + text


@pytest.mark.parametrize("text", ["Maths coaching", "", "a=b", "O'Brien & Sons", " =1+1"])
def test_csv_cell_plain_text_unchanged(text):
    assert csv_cell(text) == text


@pytest.mark.parametrize("number", [-3, 0, 5, -2.5, Decimal("-12.50")])
def test_csv_cell_numbers_unchanged(number):
    assert csv_cell(number) == number


def test_csv_cell_none_is_an_empty_cell():
    assert csv_cell(None) == ""


def test_csv_write_neutralises_header_and_rows():
    out = io.StringIO()

    csv_write(out, ["Title", "=Total"], [["@SUM(1+1)", -4], ["Plain", Decimal("1.50")]])

    assert list(csv.reader(io.StringIO(out.getvalue()))) == [
        ["Title", "'=Total"],
        ["'@SUM(1+1)", "-4"],
        ["Plain", "1.50"],
    ]


def test_csv_response_is_a_download_of_neutralised_rows():
    response = csv_response("plan.csv", ["Offer"], (row for row in [["-1 day"], ["Fine"]]))

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="plan.csv"'
    assert list(csv.reader(io.StringIO(response.content.decode()))) == [["Offer"], ["'-1 day"], ["Fine"]]


def test_no_other_module_writes_csv():
    """Every download goes through csv_write (and so through csv_cell): no second writer in the apps."""
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    writers = sorted(
        str(path.relative_to(root))
        for app in ("programmes", "providers", "events", "brokerage")
        for path in (root / app).rglob("*.py")
        if "tests" not in path.parts and ("csv.writer" in (text := path.read_text(encoding="utf-8"))
                                          or "csv.DictWriter" in text or "from csv import" in text)
    )
    assert writers == ["programmes/csv_export.py"]
