"""Reading files: encodings, delimiters, decimal commas, and a report for every bad row."""

import io

import pytest
from openpyxl import Workbook

from roadmap.indicators import imports
from roadmap.indicators.selectors import indicator_lookup

from .helpers import GHG_CODE, PERCENT_CODE, indicator

pytestmark = pytest.mark.django_db


@pytest.fixture
def lookup(municipality):
    return indicator_lookup(municipality)


def _read(text: str, lookup, encoding="utf-8", filename="data.csv"):
    return imports.read_file(text.encode(encoding), filename, lookup)


def test_a_nordic_file_with_bom_semicolons_and_decimal_commas_is_read(lookup):
    text = (
        "\ufeffIndikator;Periode;Verdi;Enhet;Kilde;Datakvalitet;Verifisert\n"
        f"{GHG_CODE};2023;3,25;t CO2e per capita;Miljødirektoratet;measured;ja\n"
        f"{PERCENT_CODE};2024-03;88,5;%;SSB;;nei\n"
    )
    parsed = _read(text, lookup)
    assert parsed.problem_count == 0
    ghg, broadband = parsed.rows
    assert ghg[0] == indicator(GHG_CODE).pk
    assert ghg[2:5] == ("year", "2023-01-01", 3.25)
    assert ghg[5:] == ("Miljødirektoratet", "measured", "", True)
    assert broadband[2:5] == ("month", "2024-03-01", 88.5)


def test_windows_1252_and_tabs_are_read(lookup):
    text = f"indicator\tperiod\tvalue\tsource\n{GHG_CODE}\t2022\t3,9\tKlimaetaten Tromsø\n"
    parsed = _read(text, lookup, encoding="cp1252")
    assert parsed.problem_count == 0
    assert parsed.rows[0][5] == "Klimaetaten Tromsø"


def test_commas_with_quoted_decimal_commas_and_slugs_are_read(lookup):
    parsed = _read('indicator,period,value\nen-en-aq-2c,2021-06-30,"4,1"\n', lookup)
    assert parsed.problem_count == 0
    assert parsed.rows[0][2:5] == ("day", "2021-06-30", 4.1)


def test_xlsx_is_read(lookup):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["indicator", "period", "value", "unit"])
    sheet.append([PERCENT_CODE, 2024, 88.5, "%"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    parsed = imports.read_file(buffer.getvalue(), "data.xlsx", lookup)
    assert parsed.problem_count == 0
    assert parsed.rows[0][2:5] == ("year", "2024-01-01", 88.5)


def test_every_bad_row_is_reported_with_its_row_and_reason(lookup):
    text = (
        "indicator;period;value;unit\n"
        "XX: 1;2024;1;%\n"  # row 2: unknown code
        f"{PERCENT_CODE};2024;12;kWh\n"  # row 3: unit mismatch
        f"{PERCENT_CODE};2023;many;%\n"  # row 4: not a number
        f"{PERCENT_CODE};2022;130;%\n"  # row 5: a percentage above 100
        f"{PERCENT_CODE};2021;50;%\n"  # row 6: fine
        f"{PERCENT_CODE};2021;51;%\n"  # row 7: duplicate of row 6
        f"{PERCENT_CODE};20x1;51;%\n"  # row 8: not a period
        f"{GHG_CODE};2021;-2;t CO2e per capita\n"  # row 9: negative emissions per capita
    )
    parsed = _read(text, lookup)
    found = {(problem["row"], problem["column"]): problem["message"] for problem in parsed.problems}
    assert "unknown indicator code “XX: 1”" in found[(2, "indicator")]
    assert "does not match the indicator's unit “%”" in found[(3, "unit")]
    assert "“many” is not a number" in found[(4, "value")]
    assert "outside the plausible range 0 to 100" in found[(5, "value")]
    assert "row 6" in found[(7, "period")]
    assert "is not a period" in found[(8, "period")]
    assert (9, "value") in found
    assert parsed.problem_count == 7
    assert not parsed.is_valid


def test_mixed_units_in_one_file_are_reported(lookup):
    text = (
        "indicator;period;value;unit\n"
        f"{GHG_CODE};2023;3;t CO2e per capita\n{GHG_CODE};2024;3000;kg\n"
    )
    parsed = _read(text, lookup)
    assert [problem["row"] for problem in parsed.problems] == [3]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "The file is empty."),
        (b"indicator;period;value\n", "no data rows"),
        (b"indicator|period|value\nEC|2024|1\n", "lacks the required columns"),
        (b"kpi;year\nEC;2024\n", "“value”"),
        ("indicator;period;value\n".encode("utf-16"), "UTF-16"),
    ],
)
def test_malformed_files_are_refused_with_a_clear_reason(lookup, data, message):
    with pytest.raises(imports.FileRefused, match=message):
        imports.read_file(data, "data.csv", lookup)


def test_a_damaged_workbook_is_refused(lookup):
    with pytest.raises(imports.FileRefused, match="Excel"):
        imports.read_file(b"PK\x03\x04 not really a zip", "data.xlsx", lookup)


def test_files_of_50_mb_are_refused():
    with pytest.raises(imports.FileRefused, match="smaller than 50 MB"):
        imports.check_size(50 * 1024 * 1024)
    imports.check_size(50 * 1024 * 1024 - 1)


@pytest.mark.parametrize(
    ("text", "number"),
    [("12,5", 12.5), ("1 234,5", 1234.5), ("1.234,5", 1234.5), ("-3.25", -3.25), ("7", 7.0)],
)
def test_numbers_in_nordic_and_international_notation(text, number):
    assert imports.parse_number(text) == number


@pytest.mark.parametrize("text", ["nan", "inf", "", "12,5,1", "abc"])
def test_non_numbers_are_rejected(text):
    with pytest.raises(ValueError):
        imports.parse_number(text)


# --- chunks: whole columns checked at once, row by row only where a chunk has a problem --------

GOOD_ROWS = [
    f"{PERCENT_CODE};2020;50,5;%;ja",
    f"{GHG_CODE};2020;3,5;t CO2e per capita;nei",
    f"{PERCENT_CODE};2021-06;60;%;",
    f"{GHG_CODE};2021-06-30; 4 ;;1",
    f"{PERCENT_CODE};2022;70;;yes",
]


def _file(rows):
    return "indicator;period;value;unit;verified\n" + "\n".join(rows) + "\n"


def test_chunked_checking_keeps_the_same_rows_as_one_chunk(lookup, monkeypatch):
    whole = _read(_file(GOOD_ROWS), lookup)
    monkeypatch.setattr(imports, "CHUNK_ROWS", 2)

    def row_by_row(*args):
        raise AssertionError("a valid chunk was checked row by row")

    monkeypatch.setattr(imports._Checker, "check_rows", row_by_row)
    chunked = _read(_file(GOOD_ROWS), lookup)
    assert chunked.rows == whole.rows
    assert (chunked.row_count, chunked.problem_count) == (5, 0)
    assert [row[2:5] for row in chunked.rows[2:4]] == [
        ("month", "2021-06-01", 60.0),
        ("day", "2021-06-30", 4.0),
    ]
    assert [row[8] for row in chunked.rows] == [True, False, False, True, True]


def test_problems_in_a_later_chunk_are_reported_with_their_rows(lookup, monkeypatch):
    monkeypatch.setattr(imports, "CHUNK_ROWS", 2)
    rows = [
        *GOOD_ROWS,
        f"{PERCENT_CODE};2020;51;%;ja",  # row 7: duplicate of row 2, two chunks earlier
        f"{PERCENT_CODE};2023;1.234,5;%;ja",  # row 8: thousands separator, out of range
        "",  # row 9: blank, skipped
        f"{PERCENT_CODE};2024;1 2,5;%;maybe",  # row 10: read as 12.5; "maybe" is not a flag
    ]
    parsed = _read(_file(rows), lookup)
    found = [(problem["row"], problem["column"]) for problem in parsed.problems]
    assert found == [(7, "period"), (8, "value"), (10, "verified")]
    assert "row 2 has the same indicator" in parsed.problems[0]["message"]
    assert "1234.5 is outside the plausible range" in parsed.problems[1]["message"]
    assert parsed.row_count == 8
    assert len(parsed.rows) == 5  # the good rows; the preview keeps none of an invalid file


def test_a_chunk_with_thousands_separators_is_read_row_by_row(lookup, monkeypatch):
    monkeypatch.setattr(imports, "CHUNK_ROWS", 2)
    parsed = _read(_file([f"{GHG_CODE};2020;1 234,5;;", f"{GHG_CODE};2021;1.000,25;;"]), lookup)
    assert parsed.problem_count == 0
    assert [row[4] for row in parsed.rows] == [1234.5, 1000.25]
