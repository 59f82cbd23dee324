"""Reading table downloads back the way a spreadsheet program would."""

import csv
import io

from openpyxl import load_workbook

from roadmap.core.spreadsheet import XLSX_CONTENT_TYPE


def csv_table(response, *, delimiter: str = ",") -> list[list[str]]:
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    data = b"".join(response.streaming_content)
    assert data.startswith("\ufeff".encode())
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=delimiter))


def xlsx_sheet(response):
    """The workbook's only sheet, with cells that keep their type (number, date, text)."""
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX_CONTENT_TYPE
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["Content-Disposition"].endswith('.xlsx"')
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert workbook.sheetnames == ["Data"]
    return workbook.active


def xlsx_records(response) -> list[dict]:
    """Each data row as {header: cell}, the cells openpyxl read back."""
    header, *rows = xlsx_sheet(response).iter_rows()
    return [dict(zip([cell.value for cell in header], row, strict=True)) for row in rows]
