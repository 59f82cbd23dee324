"""Malformed and hostile uploads: each is refused with a message in the import's own report,
quickly, and nothing is imported. Every file is built here, from a genuine workbook."""

import io
import time
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from roadmap.indicators import imports
from roadmap.indicators.models import ImportBatch, Observation
from roadmap.indicators.selectors import indicator_lookup

from .helpers import GHG_CODE

pytestmark = pytest.mark.django_db
SHEET = "xl/worksheets/sheet1.xml"
UNREADABLE = "The Excel file could not be read; it may be damaged or contain parts that are not"
SHEET_OPEN = b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'


def _workbook() -> bytes:
    workbook = Workbook()
    workbook.active.append(["indicator", "period", "value"])
    workbook.active.append([GHG_CODE, 2023, 3.1])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _rebuilt(replace: dict[str, bytes | None]) -> bytes:
    """The genuine workbook with some parts replaced (None drops the part)."""
    buffer = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(_workbook())) as original,
        zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as rebuilt,
    ):
        for member in original.infolist():
            data = replace.get(member.filename, original.read(member))
            if data is not None:
                rebuilt.writestr(member.filename, data)
    return buffer.getvalue()


def _sheet_with(doctype: str, cell: str) -> bytes:
    return (
        f'<?xml version="1.0"?>{doctype}'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        '<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>indicator</t></is></c>'
        '<c r="B1" t="inlineStr"><is><t>period</t></is></c>'
        '<c r="C1" t="inlineStr"><is><t>value</t></is></c></row>'
        f'<row r="2"><c r="A2" t="inlineStr"><is><t>{cell}</t></is></c>'
        '<c r="B2"><v>2023</v></c><c r="C2"><v>1</v></c></row></sheetData></worksheet>'
    ).encode()


BILLION_LAUGHS = '<!DOCTYPE lolz [<!ENTITY lol "lol">' + "".join(
    f'<!ENTITY lol{level} "{("&lol" + str(level - 1) + ";") * 10 if level > 1 else "&lol;" * 10}">'
    for level in range(1, 10)
)
BILLION_LAUGHS += "]>"
EXTERNAL_ENTITY = '<!DOCTYPE x [<!ENTITY secret SYSTEM "file:///etc/passwd">]>'


def _no_worksheet() -> bytes:
    workbook_xml = (
        b'<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        b"<sheets/></workbook>"
    )
    return _rebuilt({SHEET: None, "xl/workbook.xml": workbook_xml})


def _truncated_sheet() -> bytes:
    with zipfile.ZipFile(io.BytesIO(_workbook())) as original:
        sheet = original.read(SHEET)
    return _rebuilt({SHEET: sheet[: len(sheet) // 2]})


def _zip_bomb(unpacked_mb: int = 300) -> bytes:
    """A workbook whose sheet inflates to 300 MB of empty rows (about 740 KB packed)."""
    buffer = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(_workbook())) as original,
        zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as bomb,
    ):
        for member in original.infolist():
            if member.filename != SHEET:
                bomb.writestr(member.filename, original.read(member))
        with bomb.open(SHEET, "w", force_zip64=True) as sheet:
            sheet.write(SHEET_OPEN + b"<sheetData>")
            block = b"<row/>" * (1024 * 1024 // 6)
            for _ in range(unpacked_mb):
                sheet.write(block)
            sheet.write(b"</sheetData></worksheet>")
    return buffer.getvalue()


def _declared_smaller() -> bytes:
    """A 5 MB sheet whose declared unpacked size is 100 bytes in both headers: a lying zip."""
    rows = b"<row/>" * (5 * 1024 * 1024 // 6)
    data = _rebuilt({SHEET: SHEET_OPEN + b"<sheetData>" + rows + b"</sheetData></worksheet>"})
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        local = archive.getinfo(SHEET).header_offset
    # The central entry repeats the local header's fields from "version needed" to the sizes.
    central = data.index(data[local + 4 : local + 26], local + 30) - 6
    patched = bytearray(data)
    patched[local + 22 : local + 26] = patched[central + 24 : central + 28] = (100).to_bytes(
        4, "little"
    )
    return bytes(patched)


@pytest.fixture
def lookup(municipality):
    return indicator_lookup(municipality)


def _refusal(data: bytes, filename: str, lookup) -> str:
    with pytest.raises(imports.FileRefused) as refused:
        imports.read_file(data, filename, lookup)
    return str(refused.value)


def test_a_csv_cell_over_128_kb_is_refused_with_its_line(lookup):
    data = f"indicator;period;value;note\n{GHG_CODE};2023;1;ok\n{GHG_CODE};2024;1;".encode()
    message = _refusal(data + b"x" * 200_000 + b"\n", "data.csv", lookup)
    assert message.startswith("Line 3 could not be read as CSV: a cell is larger than 128 KB")


def test_a_workbook_with_no_worksheet_is_refused(lookup):
    assert _refusal(_no_worksheet(), "data.xlsx", lookup) == "The Excel file has no worksheet."


@pytest.mark.parametrize(
    "sheet",
    [
        pytest.param(_sheet_with(BILLION_LAUGHS, "&lol9;"), id="billion laughs"),
        pytest.param(_sheet_with(EXTERNAL_ENTITY, "&secret;"), id="external entity"),
    ],
)
def test_entities_in_the_sheet_are_refused_unexpanded(lookup, sheet):
    started = time.perf_counter()
    message = _refusal(_rebuilt({SHEET: sheet}), "data.xlsx", lookup)
    assert time.perf_counter() - started < 1
    assert message.startswith(UNREADABLE)


def test_openpyxl_parses_with_defusedxml():
    from defusedxml import ElementTree as defused
    from openpyxl.xml import functions

    assert functions.iterparse is defused.iterparse
    assert functions.fromstring is defused.fromstring


def test_truncated_sheet_xml_is_refused(lookup):
    message = _refusal(_truncated_sheet(), "data.xlsx", lookup)
    assert message.startswith(UNREADABLE)


def test_a_zip_bomb_is_refused_before_it_is_inflated(lookup):
    bomb = _zip_bomb()
    assert len(bomb) < 1024 * 1024
    started = time.perf_counter()
    message = _refusal(bomb, "data.xlsx", lookup)
    assert time.perf_counter() - started < 0.5
    assert message.startswith("The Excel file unpacks to 300.0 MB")


def test_a_small_file_that_unpacks_over_100_times_its_size_is_refused(lookup):
    message = _refusal(_zip_bomb(unpacked_mb=20), "data.xlsx", lookup)
    assert message.startswith("The Excel file unpacks to 20.0 MB")
    assert "at most 100 times its own size" in message


def test_a_part_that_inflates_beyond_its_declared_size_is_cut_off(lookup):
    # zipfile stops at the declared size, so the lie is caught, not inflated.
    message = _refusal(_declared_smaller(), "data.xlsx", lookup)
    assert message.startswith(UNREADABLE)


def test_rows_beyond_the_cap_refuse_the_file(lookup, monkeypatch):
    monkeypatch.setattr(imports, "MAX_ROWS", 3)  # the header and two data rows
    rows = [f"{GHG_CODE};{year};1\n" for year in range(2020, 2023)]
    message = _refusal(("indicator;period;value\n" + "".join(rows)).encode(), "a.csv", lookup)
    assert message.startswith("The file has more than 3 rows.")
    parsed = imports.read_file(
        ("indicator;period;value\n" + "".join(rows[:2])).encode(), "a.csv", lookup
    )
    assert parsed.row_count == 2


@pytest.mark.parametrize(
    ("name", "build", "message"),
    [
        ("cell.csv", lambda: b"indicator;period;value\n" + b"x" * 140_000, "larger than 128 KB"),
        ("empty.xlsx", _no_worksheet, "The Excel file has no worksheet."),
        ("cut.xlsx", _truncated_sheet, "could not be read"),
        (
            "lol.xlsx",
            lambda: _rebuilt({SHEET: _sheet_with(BILLION_LAUGHS, "&lol9;")}),
            "XML entities",
        ),
        (
            "xxe.xlsx",
            lambda: _rebuilt({SHEET: _sheet_with(EXTERNAL_ENTITY, "&secret;")}),
            "XML entities",
        ),
        ("bomb.xlsx", _zip_bomb, "unpacks to 300.0 MB"),
    ],
)
def test_the_import_page_reports_each_hostile_file_and_imports_nothing(
    client, municipality, editor, name, build, message
):
    client.force_login(editor)
    before = Observation.objects.count()
    response = client.post(
        reverse("indicators:import", kwargs={"municipality": municipality.slug}),
        {"file": SimpleUploadedFile(name, build(), "application/octet-stream")},
    )
    assert response.status_code == 302
    batch = ImportBatch.objects.get(municipality=municipality)
    assert batch.status == ImportBatch.Status.REFUSED
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert message in page.content.decode()
    assert Observation.objects.count() == before
