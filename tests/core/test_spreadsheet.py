"""Table downloads: CSV in the style of the interface language, XLSX with real number and date
cells, and would-be formulas kept as text in both."""

import datetime
import io
import tracemalloc
from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import translation
from openpyxl import load_workbook

from roadmap.core.spreadsheet import (
    NORDIC_CSV,
    csv_lines,
    csv_response,
    csv_style,
    neutralise,
    table_response,
    write_xlsx,
)
from tests.spreadsheets import csv_table, xlsx_sheet

HEADER = ["place", "share", "count", "measured", "posted", "note"]
ROW = [
    "Tromsø, nord",
    87.5,
    3,
    datetime.date(2024, 5, 17),
    datetime.datetime(2024, 5, 17, 10, 30, tzinfo=datetime.UTC),
    '=HYPERLINK("http://x")',
]


@pytest.mark.parametrize(
    "payload", ['=HYPERLINK("http://x")', "+1+2", "-2+3", "@SUM(A1)", "\tcmd", "\rcmd"]
)
def test_formula_starts_get_an_apostrophe(payload):
    assert neutralise(payload) == "'" + payload


@pytest.mark.parametrize("value", ["-12", "+3.5", "-1,5", "1e-3", "Oslo", "", 42, None])
def test_numbers_and_plain_text_stay_as_they_are(value):
    assert neutralise(value) == value


def test_lines_start_with_a_byte_order_mark_and_quote_as_csv():
    lines = list(csv_lines(["name", "value"], [["Tromsø, nord", "=1+1"], ["Bodø", -4]]))
    assert lines[0] == "\ufeffname,value\r\n"
    assert lines[1] == '"Tromsø, nord",\'=1+1\r\n'
    assert lines[2] == "Bodø,-4\r\n"


def test_the_response_is_a_named_utf8_attachment():
    response = csv_response("export.csv", ["a"], [["b"]])
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="export.csv"'
    assert b"".join(response.streaming_content).decode() == "\ufeffa\r\nb\r\n"


@pytest.mark.parametrize("language", ["nb", "nn", "sv", "da", "fi", "is", "nb-no"])
def test_nordic_languages_get_semicolons_and_decimal_commas(language):
    assert csv_style(language) == NORDIC_CSV


@pytest.mark.parametrize("language", ["en", "en-gb", "de", "", None])
def test_other_languages_get_commas_and_decimal_points(language):
    assert csv_style(language).delimiter == ","
    assert csv_style(language).decimal_mark == "."


def test_csv_under_norwegian_has_semicolons_and_decimal_commas():
    with translation.override("nb"):
        response = table_response("csv", "export", HEADER, [ROW, ["Bodø", Decimal("-1.25"), -4]])
    assert response["Content-Disposition"] == 'attachment; filename="export.csv"'
    header, row, negative = csv_table(response, delimiter=";")
    assert header == HEADER
    assert row == [
        "Tromsø, nord",
        "87,5",
        "3",
        "2024-05-17",
        "2024-05-17T10:30:00+00:00",
        '\'=HYPERLINK("http://x")',
    ]
    assert negative == ["Bodø", "-1,25", "-4"]


def test_csv_in_english_has_commas_and_decimal_points():
    with translation.override("en"):
        response = table_response("csv", "export", HEADER, [ROW])
    header, row = csv_table(response, delimiter=",")
    assert header == HEADER
    assert row[:3] == ["Tromsø, nord", "87.5", "3"]
    assert row[5] == '\'=HYPERLINK("http://x")'


def test_xlsx_has_a_bold_frozen_header_and_typed_cells():
    with translation.override("nb"):  # the language changes nothing in a workbook
        response = table_response("xlsx", "export", HEADER, [ROW])
    assert response["Content-Disposition"] == 'attachment; filename="export.xlsx"'
    sheet = xlsx_sheet(response)
    header, row = sheet.iter_rows()
    assert [cell.value for cell in header] == HEADER
    assert all(cell.font.b for cell in header)
    assert sheet.freeze_panes == "A2"
    place, share, count, measured, posted, note = row
    assert (place.value, place.data_type) == ("Tromsø, nord", "s")
    assert isinstance(share.value, float) and share.value == 87.5 and share.data_type == "n"
    assert isinstance(count.value, int) and count.value == 3
    assert measured.is_date and measured.value.date() == datetime.date(2024, 5, 17)
    # Excel has no time zones: the time is Oslo's, as the interface shows it.
    assert posted.is_date and posted.value == datetime.datetime(2024, 5, 17, 12, 30)
    assert (note.value, note.data_type, note.quotePrefix) == ('=HYPERLINK("http://x")', "s", True)


def test_xlsx_columns_are_as_wide_as_their_longest_value_within_limits():
    sheet = xlsx_sheet(table_response("xlsx", "export", ["a", "title"], [["x" * 30, "y" * 300]]))
    assert sheet.column_dimensions["A"].width == 32
    assert sheet.column_dimensions["B"].width == 60


def test_xlsx_drops_control_characters_that_a_workbook_cannot_hold():
    sheet = xlsx_sheet(table_response("xlsx", "export", ["note"], [["bell\x07 and tab\tkept"]]))
    assert sheet["A2"].value == "bell and tab\tkept"


def test_csv_rows_are_read_only_as_the_response_is_sent():
    produced = []

    def rows():
        for number in range(20_000):
            produced.append(number)
            yield ["row", number + 0.5]

    response = table_response("csv", "export", ["name", "value"], rows())
    chunks = iter(response.streaming_content)
    next(chunks), next(chunks)
    assert len(produced) == 1
    assert sum(1 for _ in chunks) == 19_999


def test_a_20000_row_workbook_is_written_with_flat_memory():
    rows = (
        [f"initiative {number}", number, number / 3, datetime.date(2024, 1, 1), "=1+1"]
        for number in range(20_000)
    )
    target = io.BytesIO()
    tracemalloc.start()
    write_xlsx(target, ["name", "id", "share", "date", "formula"], rows)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    # 100,000 cells held in memory would take tens of megabytes; write-only mode needs little.
    assert peak < 5_000_000
    target.seek(0)
    sheet = load_workbook(target, read_only=True).active
    last = list(sheet.iter_rows(min_row=20_001, values_only=True))
    assert last == [("initiative 19999", 19999, 19999 / 3, datetime.datetime(2024, 1, 1), "=1+1")]


def test_the_csv_note_tells_the_style_of_the_active_language():
    template = Template("{% load core %}{% csv_style_note %}")
    with translation.override("en"):
        assert template.render(Context()) == (
            "CSV with commas and decimal points, for spreadsheet programs with English settings."
        )
    with translation.override("nb"):
        assert "semikolon" in template.render(Context())
