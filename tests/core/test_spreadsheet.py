"""CSV downloads keep would-be formulas as text and leave numbers alone."""

import pytest

from roadmap.core.spreadsheet import csv_lines, csv_response, neutralise


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
