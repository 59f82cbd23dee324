"""Reading observation files (CSV or XLSX) into validated rows, without touching the database.

Nordic files are read as they come: UTF-8 with or without a byte-order mark, or Windows-1252;
`;`, `,` or tab as delimiter (sniffed from the header line); decimal commas and spaces as
thousands separators. A file-level problem (size, encoding, empty, missing columns) refuses the
whole file; row-level problems are collected for every row, so the preview can show them all.
Writing the rows is services.commit_import's job.

A million-row import is validated in chunks, column by column (see _Checker); only chunks with
a problem are looked at row by row, to report each problem.
"""

from __future__ import annotations

import csv
import datetime
import gc
import io
import math
import zipfile
import zlib
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from itertools import chain, islice
from operator import itemgetter, le, methodcaller
from pathlib import PurePosixPath
from typing import Any

from django.utils.translation import gettext as _

from roadmap.core.spreadsheet import XLSX_CONTENT_TYPE

from .models import Granularity, Indicator, Quality

MAX_UPLOAD_BYTES = 50 * 1024 * 1024
# A workbook's parts together, unpacked: a million-row sheet is about 256 MB. Genuine workbooks
# pack about 12:1; a zip bomb packs hundreds to one, so a higher ratio is refused as well.
MAX_UNPACKED_BYTES = 256 * 1024 * 1024
MAX_PACKING_RATIO = 100
MAX_ROWS = 1_048_576  # a worksheet's own limit, header included; CSV files are held to it too
FIRST_YEAR = 1900  # periods before it are typing mistakes
CHUNK_ROWS = 20_000  # rows validated column by column at a time
PROBLEMS_KEPT = 1000
DELIMITERS = (";", ",", "\t")
COLUMNS = {
    "indicator": ("indicator", "code", "kpi", "indikator", "kode"),
    "period": ("period", "year", "date", "periode", "år", "dato"),
    "value": ("value", "verdi"),
    "unit": ("unit", "enhet"),
    "series": ("series", "serie"),
    "source": ("source", "kilde"),
    "quality": ("quality", "data quality", "datakvalitet", "kvalitet"),
    "note": ("note", "merknad"),
    "verified": ("verified", "verifisert"),
}
REQUIRED = ("indicator", "period", "value")
TRUE_WORDS = {"1", "yes", "true", "y", "ja", "j", "x"}
FALSE_WORDS = {"", "0", "no", "false", "n", "nei"}
SPACES = str.maketrans("", "", " \u00a0\u202f")
XLSX_MAGIC = b"PK\x03\x04"


class FileRefused(ValueError):
    """The file as a whole cannot be read; the message says why, in the user's language."""


@dataclass
class IndicatorInfo:
    """What validation needs to know about an indicator, loaded once per file."""

    id: int
    code: str
    unit: str
    low: float | None
    high: float | None
    unit_folded: str = ""

    def __post_init__(self) -> None:
        self.unit_folded = self.unit.casefold()

    @classmethod
    def of(cls, indicator: Indicator) -> IndicatorInfo:
        return cls(
            indicator.pk,
            indicator.code,
            indicator.unit,
            indicator.min_value,
            indicator.max_value,
        )


# What each valid row becomes, kept column by column (see ParsedFile.columns).
ROW_FIELDS = (
    "indicator_id",
    "series",
    "granularity",
    "period",  # ISO date of the period's first day
    "value",
    "source",
    "quality",
    "note",
    "verified",
)


@dataclass
class ParsedFile:
    # The valid rows as one list per ROW_FIELDS entry: a million rows are nine lists rather
    # than a million lists, which is cheaper to build, store as JSON and read back.
    columns: tuple[list[Any], ...] = field(default_factory=lambda: tuple([] for _ in ROW_FIELDS))
    problems: list[dict[str, Any]] = field(default_factory=list)
    problem_count: int = 0
    row_count: int = 0

    @property
    def is_valid(self) -> bool:
        return self.problem_count == 0 and self.row_count > 0

    @property
    def rows(self) -> list[tuple[Any, ...]]:
        return list(zip(*self.columns, strict=True))

    def problem(self, row: int, column: str, message: str) -> None:
        self.problem_count += 1
        if len(self.problems) < PROBLEMS_KEPT:
            self.problems.append({"row": row, "column": column, "message": message})


@contextmanager
def cyclic_gc_paused() -> Iterator[None]:
    """For reading and writing a million rows: each is a list or tuple, and the cyclic garbage
    collector would otherwise rescan the ever larger heap every few thousand of them (a third of
    the parse time). The rows form no cycles; collection resumes afterwards."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def is_too_large(size: int) -> bool:
    return size >= MAX_UPLOAD_BYTES


def check_size(size: int) -> None:
    if is_too_large(size):
        raise FileRefused(
            _(
                "The file is %(size)s MB; files must be smaller than %(limit)s MB. Split it into "
                "several files (for example one per year) and import them one after the other."
            )
            % {"size": round(size / 1024 / 1024, 1), "limit": MAX_UPLOAD_BYTES // 1024 // 1024}
        )


def text_encoding(data: bytes) -> str:
    """UTF-8 (a BOM is dropped) or, failing that, Windows-1252; FileRefused for anything else."""
    if b"\x00" in data[:4096]:
        raise FileRefused(
            _(
                "The file is not plain text in UTF-8 or Windows-1252 (it may be UTF-16 or a "
                "binary file). Save it as “CSV UTF-8” or as an Excel workbook (.xlsx)."
            )
        )
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        return "utf-8-sig"
    try:
        data.decode("cp1252")
    except UnicodeDecodeError as error:
        raise FileRefused(
            _(
                "The file's characters could not be read as UTF-8 or Windows-1252 (byte "
                "%(position)s). Save it as “CSV UTF-8”."
            )
            % {"position": error.start + 1}
        ) from error
    return "cp1252"


def sniff_delimiter(header: str) -> str:
    return max(DELIMITERS, key=header.count)


def _csv_rows(data: bytes) -> Iterator[list[str]]:
    # Decoded as it is read: a StringIO of the whole text would hold four bytes per character.
    stream = io.TextIOWrapper(io.BytesIO(data), encoding=text_encoding(data), newline="")
    header = stream.readline()
    reader = csv.reader(chain([header], stream), delimiter=sniff_delimiter(header))
    try:
        yield from reader
    except csv.Error as error:  # a cell over csv.field_size_limit(), a NUL byte, ...
        raise FileRefused(
            _(
                "Line %(line)s could not be read as CSV: a cell is larger than 128 KB or a "
                "quote is not closed. Nothing was imported."
            )
            % {"line": reader.line_num}
        ) from error


# What openpyxl and the parsers under it raise for a damaged or hostile workbook: a broken
# archive or deflate stream, XML that ends early (ParseError is a SyntaxError), entities or a
# DTD (defusedxml's errors are ValueErrors), parts missing or of the wrong type.
_WORKBOOK_ERRORS = (
    zipfile.BadZipFile,
    zlib.error,
    EOFError,
    OSError,
    KeyError,
    IndexError,
    TypeError,
    ValueError,
    SyntaxError,
)


def _check_unpacked_size(data: bytes) -> None:
    """Refuse a zip bomb before anything is inflated. The declared sizes are what zipfile lets
    each part inflate to (it stops reading there), so they cap the bytes actually read too."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(member.file_size for member in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        raise FileRefused(_unreadable_workbook()) from error
    if unpacked > MAX_UNPACKED_BYTES or unpacked > MAX_PACKING_RATIO * len(data):
        raise FileRefused(
            _(
                "The Excel file unpacks to %(size)s MB, more than a workbook of observations "
                "can hold (at most %(limit)s MB, and at most %(ratio)s times its own size). "
                "Save the data again as a plain workbook or as CSV."
            )
            % {
                "size": round(unpacked / 1024 / 1024, 1),
                "limit": MAX_UNPACKED_BYTES // 1024 // 1024,
                "ratio": MAX_PACKING_RATIO,
            }
        )


def _unreadable_workbook() -> str:
    return _(
        "The Excel file could not be read; it may be damaged or contain parts that are not "
        "allowed (such as XML entities). Nothing was imported. Save it again from your "
        "spreadsheet program as an Excel workbook (.xlsx) or as CSV."
    )


def _xlsx_rows(data: bytes) -> Iterator[list[str]]:
    # openpyxl parses the workbook's XML with defusedxml (a dependency for that reason), which
    # refuses entity declarations: no "billion laughs", no external entities.
    from openpyxl import load_workbook  # only XLSX imports pay for loading openpyxl

    _check_unpacked_size(data)
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except _WORKBOOK_ERRORS as error:
        raise FileRefused(_unreadable_workbook()) from error
    try:
        if not workbook.worksheets:
            raise FileRefused(_("The Excel file has no worksheet."))
        for row in workbook.worksheets[0].iter_rows(values_only=True):
            yield [_cell_text(cell) for cell in row]
    except FileRefused:
        raise
    except _WORKBOOK_ERRORS as error:
        raise FileRefused(_unreadable_workbook()) from error
    finally:
        workbook.close()


def _capped(rows: Iterator[list[str]]) -> Iterator[list[str]]:
    """The rows of a file, refused as a whole once there are more than MAX_ROWS."""
    for count, row in enumerate(rows, start=1):
        if count > MAX_ROWS:
            raise FileRefused(
                _(
                    "The file has more than %(limit)s rows. Split it into several files (for "
                    "example one per year) and import them one after the other."
                )
                % {"limit": f"{MAX_ROWS:,}".replace(",", " ")}
            )
        yield row


def _cell_text(cell: Any) -> str:
    """A workbook cell as the text a CSV would hold (dates as ISO dates, 2024.0 as 2024)."""
    if cell is None:
        return ""
    if isinstance(cell, datetime.datetime | datetime.date):
        return cell.strftime("%Y-%m-%d")
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return str(cell)


def _columns(header: list[str]) -> dict[str, int]:
    names = [cell.strip().lower() for cell in header]
    positions: dict[str, int] = {}
    for column, aliases in COLUMNS.items():
        for index, name in enumerate(names):
            if name in aliases:
                positions[column] = index
                break
    missing = [name for name in REQUIRED if name not in positions]
    if missing:
        found = ", ".join(f"“{name}”" for name in names if name) or _("none")
        raise FileRefused(
            _(
                "The header row lacks the required columns %(missing)s (found: %(found)s). "
                "Check that the first row names the columns and that the values are separated "
                "by semicolons, commas or tabs."
            )
            % {"missing": ", ".join(f"“{name}”" for name in missing), "found": found}
        )
    return positions


def parse_number(text: str) -> float:
    """A float from "12.5", "12,5", "1 234,5" or "1.234,5"; ValueError otherwise."""
    if "," in text:
        text = text.replace(".", "").replace(",", ".") if "." in text else text.replace(",", ".")
    try:
        number = float(text)
    except ValueError:
        number = float(text.translate(SPACES))
    if not math.isfinite(number):
        raise ValueError(text)
    return number


def parse_period(text: str) -> tuple[str, str]:
    """(granularity, ISO date of the period's first day) from "2024", "2024-03", "2024-03-15"."""
    text = text.strip()
    if len(text) == 4 and text.isdigit():
        return Granularity.YEAR.value, f"{text}-01-01"
    if len(text) == 7 and text[4] == "-":
        datetime.date(int(text[:4]), int(text[5:]), 1)
        return Granularity.MONTH.value, f"{text}-01"
    return Granularity.DAY.value, datetime.date.fromisoformat(text).isoformat()


def read_period(text: str, first_year: int = FIRST_YEAR) -> tuple[str, str] | None:
    """parse_period for a year from first_year to 9999; None when the text is no such period."""
    try:
        parsed = parse_period(text)
        if not first_year <= int(parsed[1][:4]) <= 9999:
            raise ValueError(text)
    except (ValueError, IndexError):
        return None
    return parsed


def out_of_range(value: float, info: IndicatorInfo) -> bool:
    return (info.low is not None and value < info.low) or (
        info.high is not None and value > info.high
    )


# What is wrong with one cell, in the words of the import report; the entry form says the same.


def period_problem(text: str) -> str:
    return _("“%(period)s” is not a period (write 2024, 2024-03 or 2024-03-15)") % {"period": text}


def number_problem(text: str) -> str:
    return _("“%(value)s” is not a number") % {"value": text}


def range_problem(value: float, info: IndicatorInfo) -> str:
    return _("%(value)s is outside the plausible range %(low)s to %(high)s %(unit)s") % {
        "value": value,
        "low": "−∞" if info.low is None else f"{info.low:g}",
        "high": "∞" if info.high is None else f"{info.high:g}",
        "unit": info.unit,
    }


def parse_rows(
    rows: Iterable[list[str]],
    indicators: dict[str, IndicatorInfo],
    *,
    first_year: int = FIRST_YEAR,
) -> ParsedFile:
    """Validate rows of text cells, the first being the header; `indicators` maps codes and
    slugs to info."""
    iterator = iter(rows)
    header = next(iterator, None)
    if header is None or not "".join(header).strip():
        raise FileRefused(_("The file is empty."))
    checker = _Checker(_columns(header), indicators, first_year)
    line = 2
    while chunk := list(islice(iterator, CHUNK_ROWS)):
        if not checker.accept_chunk(chunk, line):
            checker.check_rows(enumerate(chunk, start=line))
        line += len(chunk)
    if checker.result.row_count == 0:
        raise FileRefused(_("The file has a header row but no data rows."))
    return checker.result


class _Checker:
    """Validation of one file's rows, chunk by chunk, with caches of parsed cells (a file
    repeats a few codes, periods and units thousands of times) and the keys seen so far.

    accept_chunk is the fast path for a chunk in which every row is valid: it checks whole
    columns with map/set operations that run in C and gives up at the first doubt. The chunk
    then goes through check_rows, which looks at each row and reports every problem in row
    order, so a bad file gets the same report either way.
    """

    def __init__(
        self, columns: dict[str, int], indicators: dict[str, IndicatorInfo], first_year: int
    ) -> None:
        self.result = ParsedFile()
        self.indicators = indicators
        self.first_year = first_year
        self.at = {name: columns.get(name) for name in COLUMNS}
        # _columns refused a header without the required columns: all three are here.
        self.indicator_at, self.period_at, self.value_at = (columns[name] for name in REQUIRED)
        self.width = max(columns.values()) + 1
        self.infos = {info.id: info for info in indicators.values()}
        # (indicator id, series, (granularity, period)) → the row it first appeared in
        self.seen: dict[tuple, int] = {}
        # Caches: cell text → parsed value, None (or 0 for ids) when the text is invalid.
        self.ids: dict[str, int] = {}
        self.periods: dict[str, tuple[str, str] | None] = {}
        self.units: dict[tuple[int, str], bool] = {}
        self.qualities: dict[str, str | None] = {}
        self.verified: dict[str, bool | None] = {}
        self.series: dict[str, str] = {}

    # --- single cells -------------------------------------------------------------------

    def indicator_id(self, text: str) -> int:
        info = self.indicators.get(text.strip())
        return 0 if info is None else info.id

    def period(self, text: str) -> tuple[str, str] | None:
        return read_period(text, self.first_year)

    def unit_matches(self, indicator_id: int, text: str) -> bool:
        unit, info = text.strip(), self.infos[indicator_id]
        return not unit or unit == info.unit or unit.casefold() == info.unit_folded

    @staticmethod
    def quality(text: str) -> str | None:
        quality = text.strip().lower()
        return quality if not quality or quality in Quality.values else None

    @staticmethod
    def verified_flag(text: str) -> bool | None:
        flag = text.strip().lower()
        if flag in TRUE_WORDS:
            return True
        return False if flag in FALSE_WORDS else None

    @staticmethod
    def series_name(text: str) -> str:
        return text.strip()[:60]

    def cached(self, cache: dict, parse, text: str):
        if text not in cache:
            cache[text] = parse(text)
        return cache[text]

    # --- the fast path: whole columns -----------------------------------------------------

    def _column(self, chunk: list[list[str]], name: str, cache: dict, parse) -> list:
        """A column's parsed cells, each distinct text parsed once ("" for a missing column)."""
        at = self.at[name]
        if at is None:
            return [parse("")] * len(chunk)
        cells = list(map(itemgetter(at), chunk))
        for text in set(cells).difference(cache):
            cache[text] = parse(text)
        return list(map(cache.__getitem__, cells))

    def _texts(self, chunk: list[list[str]], name: str, limit: int | None) -> list[str]:
        at = self.at[name]
        if at is None:
            return [""] * len(chunk)
        texts = list(map(str.strip, map(itemgetter(at), chunk)))
        if limit is not None and max(map(len, texts)) > limit:
            texts = [text[:limit] for text in texts]
        return texts

    def accept_chunk(self, chunk: list[list[str]], first_line: int) -> bool:
        """Keep the chunk's rows and return True if every row is valid; else change nothing."""
        if min(map(len, chunk)) < self.width or not all(map(str.strip, map("".join, chunk))):
            return False  # short or blank rows: check_rows pads or skips them
        ids = self._column(chunk, "indicator", self.ids, self.indicator_id)
        periods = self._column(chunk, "period", self.periods, self.period)
        if not all(ids) or None in periods:
            return False
        try:
            # A decimal comma becomes a point; "1.234,5" and "1 234,5" fail here and are
            # left to parse_number.
            values = list(
                map(
                    float, map(methodcaller("replace", ",", "."), self._texts(chunk, "value", None))
                )
            )
        except ValueError:
            return False
        if not all(map(math.isfinite, values)) or not self._in_range(ids, values):
            return False
        if self.at["unit"] is not None:
            pairs = set(zip(ids, map(itemgetter(self.at["unit"]), chunk), strict=True))
            for pair in pairs.difference(self.units):
                self.units[pair] = self.unit_matches(*pair)
            if not all(map(self.units.__getitem__, pairs)):
                return False
        qualities = self._column(chunk, "quality", self.qualities, self.quality)
        verified = self._column(chunk, "verified", self.verified, self.verified_flag)
        if None in qualities or None in verified:
            return False
        series = self._column(chunk, "series", self.series, self.series_name)
        keys = list(zip(ids, series, periods, strict=True))
        # Reversed, so each key keeps the row of its first occurrence.
        first_lines = dict(
            zip(reversed(keys), reversed(range(first_line, first_line + len(keys))), strict=True)
        )
        if len(first_lines) != len(keys) or not self.seen.keys().isdisjoint(first_lines):
            return False
        self.seen.update(first_lines)
        granularities, dates = zip(*periods, strict=True)
        self.result.row_count += len(chunk)
        # Annotated: otherwise mypy joins the differently typed columns into `object`.
        chunk_columns: tuple[Iterable[Any], ...] = (
            ids,
            series,
            granularities,
            dates,
            values,
            self._texts(chunk, "source", 200),
            qualities,
            self._texts(chunk, "note", None),
            verified,
        )
        for column, cells in zip(self.result.columns, chunk_columns, strict=True):
            column.extend(cells)
        return True

    def _in_range(self, ids: list[int], values: list[float]) -> bool:
        lows, highs = {}, {}
        for pk in set(ids):
            info = self.infos[pk]
            lows[pk] = -math.inf if info.low is None else info.low
            highs[pk] = math.inf if info.high is None else info.high
        return all(map(le, map(lows.__getitem__, ids), values)) and all(
            map(le, values, map(highs.__getitem__, ids))
        )

    # --- the slow path: row by row, every problem reported ---------------------------------

    def check_rows(self, numbered_rows: Iterable[tuple[int, list[str]]]) -> None:
        result, at, width = self.result, self.at, self.width
        indicator_at, period_at, value_at = self.indicator_at, self.period_at, self.value_at
        problem, columns = result.problem, result.columns
        for line, row in numbered_rows:
            if not "".join(row).strip():
                continue
            result.row_count += 1
            if len(row) < width:
                row = [*row, *[""] * (width - len(row))]
            ok = True
            code = row[indicator_at].strip()
            info = self.indicators.get(code)
            if info is None:
                problem(line, "indicator", _("unknown indicator code “%(code)s”") % {"code": code})
                ok = False
            period_text = row[period_at]
            parsed_period = self.cached(self.periods, self.period, period_text)
            if parsed_period is None:
                problem(line, "period", period_problem(period_text))
                ok = False
            value_text = row[value_at]
            try:
                value = parse_number(value_text)
            except ValueError:
                problem(line, "value", number_problem(value_text))
                ok = False
                value = None
            if info is not None:
                if at["unit"] is not None and not self.unit_matches(info.id, row[at["unit"]]):
                    problem(
                        line,
                        "unit",
                        _("unit “%(unit)s” does not match the indicator's unit “%(expected)s”")
                        % {"unit": row[at["unit"]].strip(), "expected": info.unit},
                    )
                    ok = False
                if value is not None and out_of_range(value, info):
                    problem(line, "value", range_problem(value, info))
                    ok = False
            quality_text = row[at["quality"]] if at["quality"] is not None else ""
            quality = self.cached(self.qualities, self.quality, quality_text)
            if quality is None:
                problem(
                    line,
                    "quality",
                    _("unknown data-quality grade “%(grade)s” (use one of %(grades)s)")
                    % {"grade": quality_text.strip().lower(), "grades": ", ".join(Quality.values)},
                )
                ok = False
            verified_text = row[at["verified"]] if at["verified"] is not None else ""
            verified = self.cached(self.verified, self.verified_flag, verified_text)
            if verified is None:
                problem(
                    line, "verified", _("“%(text)s” is not yes or no") % {"text": verified_text}
                )
                ok = False
            if not ok or info is None:
                continue
            series = self.series_name(row[at["series"]]) if at["series"] is not None else ""
            key = (info.id, series, parsed_period)
            earlier = self.seen.get(key)
            if earlier is not None:
                problem(
                    line,
                    "period",
                    _("duplicate period: row %(row)s has the same indicator, series and period")
                    % {"row": earlier},
                )
                continue
            self.seen[key] = line
            accepted = (
                info.id,
                series,
                *parsed_period,
                value,
                row[at["source"]].strip()[:200] if at["source"] is not None else "",
                quality,
                row[at["note"]].strip() if at["note"] is not None else "",
                verified,
            )
            for column, cell in zip(columns, accepted, strict=True):
                column.append(cell)


def content_type(stored_name: str) -> str:
    """What a stored upload is served as: a spreadsheet or CSV, never anything a browser runs."""
    return XLSX_CONTENT_TYPE if stored_name.lower().endswith(".xlsx") else "text/csv"


def download_name(filename: str) -> str:
    """The uploaded name to offer on download: no folders, no control characters."""
    name = PurePosixPath(filename.replace("\\", "/")).name
    name = "".join(character for character in name if character.isprintable())
    return name if name.strip(". ") else "upload"


def read_file(data: bytes, filename: str, indicators: dict[str, IndicatorInfo]) -> ParsedFile:
    """Parse and validate an uploaded file; FileRefused for problems with the whole file."""
    check_size(len(data))
    if not data.strip():
        raise FileRefused(_("The file is empty."))
    is_xlsx = filename.lower().endswith(".xlsx") or data.startswith(XLSX_MAGIC)
    with cyclic_gc_paused():
        rows = _xlsx_rows(data) if is_xlsx else _csv_rows(data)
        return parse_rows(_capped(rows), indicators)
