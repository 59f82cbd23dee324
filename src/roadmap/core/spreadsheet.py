"""Table downloads, as CSV or XLSX from the same header and rows, that spreadsheets open safely.

Rows carry real values (ints, floats, Decimals, dates, text); they are turned into text only
when the CSV is written, so the XLSX gets number and date cells.

CSV follows the interface language: with a Nordic language, Excel expects `;` between cells and
a decimal comma, so those are used; otherwise `,` and a decimal point.

A text cell that starts with = + - @ tab or carriage return could run as a formula when the file
is opened in a spreadsheet (CSV injection). In CSV such cells get a leading apostrophe so they
stay text; plain numbers, negative ones included, are left as they are. In XLSX every text is
written as a string cell (never a formula) with the quote prefix Excel itself sets, so editing
the cell keeps it text too.
"""

from __future__ import annotations

import csv
import datetime
import itertools
import re
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Literal

from django.http import FileResponse, StreamingHttpResponse
from django.utils import timezone
from django.utils.translation import get_language
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
PLAIN_NUMBER = re.compile(r"^[-+]?\d+([.,]\d+)?([eE][-+]?\d+)?$")
NORDIC_LANGUAGES = frozenset({"nb", "nn", "no", "sv", "da", "fi", "is"})
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FileFormat = Literal["csv", "xlsx"]
# Column widths are judged from the first rows only, so a large export is never held in memory.
WIDTH_SAMPLE_ROWS = 200
MIN_WIDTH, MAX_WIDTH = 8, 60


@dataclass(frozen=True)
class CsvStyle:
    delimiter: str
    decimal_mark: str


ENGLISH_CSV = CsvStyle(delimiter=",", decimal_mark=".")
NORDIC_CSV = CsvStyle(delimiter=";", decimal_mark=",")


def csv_style(language: str | None) -> CsvStyle:
    """The CSV style a spreadsheet set up for this interface language reads as columns."""
    base = (language or "").lower().split("-")[0]
    return NORDIC_CSV if base in NORDIC_LANGUAGES else ENGLISH_CSV


def neutralise(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(FORMULA_START) and not PLAIN_NUMBER.match(value):
        return "'" + value
    return value


def _csv_text(value: Any, style: CsvStyle) -> Any:
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, float | Decimal):
        return str(value).replace(".", style.decimal_mark)
    if isinstance(value, datetime.date):  # a datetime too
        return value.isoformat()
    return neutralise(value)


class _Echo:
    """A file-like object that hands back what is written, for streaming csv.writer output."""

    def write(self, value: str) -> str:
        return value


def csv_lines(
    header: Iterable[str], rows: Iterable[Iterable[Any]], *, style: CsvStyle = ENGLISH_CSV
) -> Iterator[str]:
    writer = csv.writer(_Echo(), delimiter=style.delimiter)
    # A byte-order mark lets spreadsheet programs recognise UTF-8 (æ, ø, å).
    yield "\ufeff" + writer.writerow(header)
    for row in rows:
        yield writer.writerow([_csv_text(cell, style) for cell in row])


def _width(value: Any) -> int:
    if value is None:
        return 0
    if isinstance(value, datetime.datetime):
        return 19
    longest_line = max(str(value).splitlines() or [""], key=len)
    return len(longest_line)


def _column_widths(header: Sequence[str], sample: Sequence[Sequence[Any]]) -> list[int]:
    widths = [len(title) for title in header]
    for row in sample:
        for index, value in enumerate(row[: len(widths)]):
            widths[index] = max(widths[index], _width(value))
    return [min(max(width + 2, MIN_WIDTH), MAX_WIDTH) for width in widths]


def write_xlsx(
    target: Any, header: Sequence[str], rows: Iterable[Sequence[Any]], *, title: str = "Data"
) -> None:
    """Write the table to a file (path or binary file object) as a one-sheet workbook.

    Write-only mode spills rows to a temporary file as they come, so memory stays flat however
    many rows there are."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title[:31])
    rows = iter(rows)
    sample = [list(row) for row in itertools.islice(rows, WIDTH_SAMPLE_ROWS)]
    for index, width in enumerate(_column_widths(header, sample), start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    header_cells = []
    for title_text in header:
        cell = _text_cell(sheet, title_text)
        cell.font = bold
        header_cells.append(cell)
    sheet.append(header_cells)
    for row in itertools.chain(sample, rows):
        sheet.append([_xlsx_cell(sheet, value) for value in row])
    workbook.save(target)


def _text_cell(sheet: Any, text: str) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, value=ILLEGAL_CHARACTERS_RE.sub("", text))
    # openpyxl reads a string starting with "=" as a formula; a string cell never runs.
    cell.data_type = "s"
    if text.startswith(FORMULA_START):
        cell.quotePrefix = True
    return cell


def _xlsx_cell(sheet: Any, value: Any) -> Any:
    if isinstance(value, str):
        return _text_cell(sheet, value)
    if isinstance(value, datetime.datetime) and timezone.is_aware(value):
        # Excel has no time zones: the local time is what a reader expects to see.
        return timezone.make_naive(timezone.localtime(value))
    return value


def csv_response(
    filename: str,
    header: Iterable[str],
    rows: Iterable[Iterable[Any]],
    *,
    style: CsvStyle = ENGLISH_CSV,
) -> StreamingHttpResponse:
    response = StreamingHttpResponse(
        csv_lines(header, rows, style=style), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def xlsx_response(
    filename: str, header: Sequence[str], rows: Iterable[Sequence[Any]]
) -> StreamingHttpResponse:
    # The workbook is built on disk, then sent in chunks; FileResponse closes (so removes) the
    # file once it is sent.
    workbook_file = tempfile.TemporaryFile()  # noqa: SIM115
    try:
        write_xlsx(workbook_file, header, rows)
    except BaseException:
        workbook_file.close()
        raise
    workbook_file.seek(0)
    return FileResponse(
        workbook_file, as_attachment=True, filename=filename, content_type=XLSX_CONTENT_TYPE
    )


def table_response(
    file_format: FileFormat,
    name: str,
    header: Sequence[str],
    rows: Iterable[Sequence[Any]],
) -> StreamingHttpResponse:
    """The table as a download called `name`.csv or `name`.xlsx; the CSV in the style of the
    active interface language."""
    if file_format == "xlsx":
        return xlsx_response(f"{name}.xlsx", header, rows)
    return csv_response(f"{name}.csv", header, rows, style=csv_style(get_language()))
