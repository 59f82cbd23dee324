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
import difflib
import gc
import io
import math
import re
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
from django.utils.translation import gettext_lazy

from roadmap.core.spreadsheet import XLSX_CONTENT_TYPE

from .models import Granularity, Indicator, Quality, SubIndicator

MAX_UPLOAD_BYTES = 50 * 1024 * 1024
# A workbook's parts together, unpacked: a million-row sheet is about 256 MB. Genuine workbooks
# pack about 12:1; a zip bomb packs hundreds to one, so a higher ratio is refused as well.
MAX_UNPACKED_BYTES = 256 * 1024 * 1024
MAX_PACKING_RATIO = 100
MAX_ROWS = 1_048_576  # a worksheet's own limit, header included; CSV files are held to it too
FIRST_YEAR = 1900  # periods before it are typing mistakes
CHUNK_ROWS = 20_000  # rows validated column by column at a time
PROBLEMS_KEPT = 1000
SUGGESTIONS = 3
DELIMITERS = (";", ",", "\t")
COLUMNS = {
    "indicator": ("indicator", "code", "kpi", "indikator", "kode", "kod", "koodi"),
    # Statistics Norway, Sweden and Finland name the time column so.
    "period": ("period", "year", "date", "periode", "år", "dato", "tid", "vuosi"),
    "value": ("value", "verdi"),
    "unit": ("unit", "enhet"),
    "series": ("series", "serie"),
    "source": ("source", "kilde"),
    "quality": ("quality", "data quality", "datakvalitet", "kvalitet"),
    "note": ("note", "merknad"),
    "verified": ("verified", "verifisert"),
    # A statistics-office export (long format): the region as "<code> <name>", the statistics
    # variable, which names the indicator unless an indicator column does, and the table's
    # title as the header of the value column.
    "region": ("region", "kommune", "kommun", "alue", "kunta"),
    "variable": (
        "statistikkvariabel",
        "statistikvariabel",
        "tabellinnehåll",
        "tiedot",
        "variable",
        "contentscode",
    ),
}
REQUIRED = ("indicator", "period", "value")
# What a statistics office writes where it has no figure, and what it means.
NO_VALUE = {
    ".": gettext_lazy("no figure can exist here"),
    "..": gettext_lazy("the figure is not available"),
    "...": gettext_lazy("the figure is not available yet"),
    ":": gettext_lazy("withheld for confidentiality"),
    "-": gettext_lazy("nil"),
}
REGION = re.compile(r"^\s*(?:[A-Za-z]{1,3}-?)?(\d{2,6})\b\s*(.*)$")
MUNICIPALITY_WORDS = {"kommune", "kommun", "kunta", "municipality"}
NO_VALUES_KEPT = 500
OTHER_REGIONS_NAMED = 20
TRUE_WORDS = {"1", "yes", "true", "y", "ja", "j", "x"}
FALSE_WORDS = {"", "0", "no", "false", "n", "nei"}
SPACES = str.maketrans("", "", " \u00a0\u202f")
XLSX_MAGIC = b"PK\x03\x04"


class FileRefused(ValueError):
    """The file as a whole cannot be read; the message says why, in the user's language."""


@dataclass(eq=False)  # compared and hashed by identity: the checker keys caches by info
class IndicatorInfo:
    """What validation needs to know about an indicator, or one of its sub-indicators, loaded
    once per file."""

    id: int
    code: str
    unit: str
    low: float | None
    high: float | None
    # A sub-indicator's series; None for a whole indicator, whose series the file gives.
    series: str | None = None
    unit_folded: str = ""
    # The sub-indicators, by normalised key and series name ("pm_2.5", "pm2.5"); a
    # sub-indicator's own names for itself.
    parts: dict[str, IndicatorInfo] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.unit_folded = self.unit.casefold()

    @property
    def label(self) -> str:
        return f"{self.code} · {self.series}" if self.series else self.code

    @classmethod
    def of(cls, indicator: Indicator) -> IndicatorInfo:
        return cls(
            indicator.pk,
            indicator.code,
            indicator.unit,
            indicator.min_value,
            indicator.max_value,
        )

    def add_part(self, sub: SubIndicator) -> IndicatorInfo:
        part = IndicatorInfo(
            self.id, self.code, sub.unit, sub.min_value, sub.max_value, series=sub.series
        )
        names = {normalise_code(sub.key): part, normalise_code(sub.series): part}
        self.parts.update(names)
        part.parts = names  # a series cell may repeat the part the code names
        return part


def normalise_code(text: str) -> str:
    """Codes are compared without spaces and case: `SC: EH: ED:1C` is `SC: EH: ED: 1C`."""
    return "".join(text.split()).casefold()


class CodeBook:
    """Every way a file may name an indicator: its code or slug in any spacing and case, the
    names and concept URIs added by selectors.indicator_lookup, and "<code> - <key>" for a
    sub-indicator (`EN: EN: AQ: 1C - pm_2.5`)."""

    def __init__(self) -> None:
        self.names: dict[str, IndicatorInfo] = {}
        self.codes: dict[str, str] = {}  # normalised code → the code, for suggestions

    def add(self, name: str, info: IndicatorInfo) -> None:
        """The first indicator to claim a name keeps it (the catalogue comes first)."""
        self.names.setdefault(normalise_code(name), info)

    def add_indicator(self, info: IndicatorInfo, *names: str) -> None:
        self.codes.setdefault(normalise_code(info.code), info.code)
        for name in (info.code, *names):
            self.add(name, info)

    def find(self, text: str) -> IndicatorInfo | None:
        key = normalise_code(text)
        info = self.names.get(key)
        if info is None and "-" in key:
            code, _, part = key.rpartition("-")
            whole = self.names.get(code)
            info = None if whole is None else whole.parts.get(part)
        return info

    def suggestions(self, text: str) -> list[str]:
        """The known codes nearest to an unknown one."""
        key = normalise_code(text.partition(" - ")[0])
        close = difflib.get_close_matches(key, self.codes, n=SUGGESTIONS, cutoff=0.6)
        return [self.codes[code] for code in close]


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
    # Cells written otherwise than the catalogue writes the code: text → what it was read as.
    mapped: dict[str, str] = field(default_factory=dict)
    # Valid rows a statistics office left without a figure: not written, reported.
    no_values: list[dict[str, Any]] = field(default_factory=list)
    no_value_count: int = 0
    other_region_rows: int = 0
    other_regions: list[str] = field(default_factory=list)

    @property
    def is_valid(self) -> bool:
        return self.problem_count == 0 and self.row_count > 0

    @property
    def rows(self) -> list[tuple[Any, ...]]:
        return list(zip(*self.columns, strict=True))

    def no_value(self, row: int, info: IndicatorInfo, series: str, period: str, symbol: str):
        self.no_value_count += 1
        if len(self.no_values) < NO_VALUES_KEPT:
            self.no_values.append(
                {
                    "row": row,
                    "indicator": info.code,
                    "series": series,
                    "period": period,
                    "symbol": symbol,
                    "meaning": str(NO_VALUE[symbol]),
                }
            )

    def other_region(self, name: str) -> None:
        self.other_region_rows += 1
        if name not in self.other_regions and len(self.other_regions) < OTHER_REGIONS_NAMED:
            self.other_regions.append(name)

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
    # Outside quotes: a statistics office's quoted table title may hold commas.
    unquoted = re.sub(r'"[^"]*"', "", header)
    return max(DELIMITERS, key=unquoted.count)


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
    if "region" in positions:
        # A statistics-office export: the variable names the indicator, and the value sits
        # under the table's title, the first column with none of the known names.
        if "indicator" not in positions and "variable" in positions:
            positions["indicator"] = positions["variable"]
        taken = set(positions.values())
        title = next((i for i, name in enumerate(names) if name and i not in taken), None)
        if "value" not in positions and title is not None:
            positions["value"] = title
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


@dataclass(frozen=True)
class Region:
    """The municipality a statistics-office export is read for: its rows are those whose
    region cell ("0301 Oslo", "K-3401 Kongsvinger", "KU091 Helsinki") has its code, or,
    without a code, its name."""

    code: str
    name: str

    def matches(self, text: str) -> bool:
        match = REGION.match(text)
        if self.code and match:
            return match[1].lstrip("0") == self.code.lstrip("0")
        name = match[2] if match else text
        return _bare_name(name) == _bare_name(self.name)


def _bare_name(name: str) -> str:
    """ "Fjordvik kommune", "Myrdal kommun" and "Fjordvik" are one name."""
    words = name.casefold().split()
    return " ".join(words[:-1] if len(words) > 1 and words[-1] in MUNICIPALITY_WORDS else words)


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
    if len(text) == 7 and text[4] in "-M":  # 2024-03, or 2024M03 as statistics offices write
        datetime.date(int(text[:4]), int(text[5:]), 1)
        return Granularity.MONTH.value, f"{text[:4]}-{text[5:]}-01"
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
    indicators: CodeBook,
    *,
    first_year: int = FIRST_YEAR,
    region: Region | None = None,
) -> ParsedFile:
    """Validate rows of text cells, the first being the header. A file with a region column
    keeps only the rows of `region` (all rows when it is None)."""
    iterator = iter(rows)
    header = next(iterator, None)
    if header is None or not "".join(header).strip():
        raise FileRefused(_("The file is empty."))
    checker = _Checker(_columns(header), indicators, first_year, region)
    line = 2
    while chunk := list(islice(iterator, CHUNK_ROWS)):
        if not checker.accept_chunk(chunk, line):
            checker.check_rows(enumerate(chunk, start=line))
        line += len(chunk)
    result = checker.result
    if result.row_count == 0 and result.other_region_rows and region is not None:
        raise FileRefused(
            _(
                "None of the file's %(count)s rows is for %(name)s (region code “%(code)s”); "
                "they are for %(regions)s."
            )
            % {
                "count": result.other_region_rows,
                "name": region.name,
                "code": region.code or "—",
                "regions": ", ".join(result.other_regions),
            }
        )
    if result.row_count == 0:
        raise FileRefused(_("The file has a header row but no data rows."))
    result.mapped = checker.mapped()
    return result


class _Checker:
    """Validation of one file's rows, chunk by chunk, with caches of parsed cells (a file
    repeats a few codes, periods and units thousands of times) and the keys seen so far.

    accept_chunk is the fast path for a chunk in which every row is valid: it checks whole
    columns with map/set operations that run in C and gives up at the first doubt. The chunk
    then goes through check_rows, which looks at each row and reports every problem in row
    order, so a bad file gets the same report either way.
    """

    def __init__(
        self,
        columns: dict[str, int],
        indicators: CodeBook,
        first_year: int,
        region: Region | None,
    ) -> None:
        self.result = ParsedFile()
        self.indicators = indicators
        self.first_year = first_year
        self.region = region if "region" in columns else None
        self.at = {name: columns.get(name) for name in COLUMNS}
        # _columns refused a header without the required columns: all three are here.
        self.indicator_at, self.period_at, self.value_at = (columns[name] for name in REQUIRED)
        self.width = max(columns.values()) + 1
        # (indicator id, series, (granularity, period)) → the row it first appeared in
        self.seen: dict[tuple, int] = {}
        # Caches: cell text → parsed value, None when the text is invalid.
        self.found: dict[str, IndicatorInfo | None] = {}
        self.periods: dict[str, tuple[str, str] | None] = {}
        self.units: dict[tuple[IndicatorInfo, str], bool] = {}
        self.qualities: dict[str, str | None] = {}
        self.verified: dict[str, bool | None] = {}
        self.series: dict[str, str] = {}
        # (info, series cell) → (the info to check against, the series), None for a clash
        self.parts: dict[tuple[IndicatorInfo, str], tuple[IndicatorInfo, str] | None] = {}
        self.regions: dict[str, bool] = {}

    def mapped(self) -> dict[str, str]:
        """How the file's codes written otherwise than in the catalogue were read."""
        return {
            text.strip(): info.label
            for text, info in self.found.items()
            if info is not None and text.strip() != info.code
        }

    # --- single cells -------------------------------------------------------------------

    def period(self, text: str) -> tuple[str, str] | None:
        return read_period(text, self.first_year)

    @staticmethod
    def unit_matches(info: IndicatorInfo, text: str) -> bool:
        unit = text.strip()
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

    @staticmethod
    def part(info: IndicatorInfo, series: str) -> tuple[IndicatorInfo, str] | None:
        """What a row is checked against and its series: a sub-indicator named by the code
        or by the series cell, or the whole indicator with the series as written; None when
        the code names one sub-indicator and the series cell another."""
        if (named := info.series) is not None:
            same = not series or info.parts.get(normalise_code(series)) is info
            return (info, named) if same else None
        part = info.parts.get(normalise_code(series)) if series else None
        if part is None or part.series is None:
            return info, series
        return part, part.series

    def cached(self, cache: dict, parse, text: str):
        if text not in cache:
            cache[text] = parse(text)
        return cache[text]

    def other_region(self, row: list[str]) -> bool:
        """True for a row of another region, which is counted and skipped."""
        if self.region is None:
            return False
        at = self.at["region"]
        text = row[at] if at is not None and at < len(row) else ""
        if self.cached(self.regions, self.region.matches, text):
            return False
        self.result.other_region(text.strip())
        return True

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
        if self.region is not None and not all(
            self._column(chunk, "region", self.regions, self.region.matches)
        ):
            return False  # rows of other regions: check_rows counts and skips them
        found = self._column(chunk, "indicator", self.found, self.indicators.find)
        periods = self._column(chunk, "period", self.periods, self.period)
        if None in found or None in periods:
            return False
        series_cells = self._column(chunk, "series", self.series, self.series_name)
        pairs = list(zip(found, series_cells, strict=True))
        for pair in set(pairs).difference(self.parts):
            self.parts[pair] = self.part(*pair)
        resolved = list(map(self.parts.__getitem__, pairs))
        if None in resolved:
            return False
        infos, series = map(list, zip(*resolved, strict=True))
        try:
            # A decimal comma becomes a point; "1.234,5" and "1 234,5" fail here and are
            # left to parse_number, a missing-value symbol to check_rows.
            values = list(
                map(
                    float, map(methodcaller("replace", ",", "."), self._texts(chunk, "value", None))
                )
            )
        except ValueError:
            return False
        if not all(map(math.isfinite, values)) or not self._in_range(infos, values):
            return False
        if self.at["unit"] is not None:
            units = set(zip(infos, map(itemgetter(self.at["unit"]), chunk), strict=True))
            for unit in units.difference(self.units):
                self.units[unit] = self.unit_matches(*unit)
            if not all(map(self.units.__getitem__, units)):
                return False
        qualities = self._column(chunk, "quality", self.qualities, self.quality)
        verified = self._column(chunk, "verified", self.verified, self.verified_flag)
        if None in qualities or None in verified:
            return False
        ids = [info.id for info in infos]
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

    @staticmethod
    def _in_range(infos: list[IndicatorInfo], values: list[float]) -> bool:
        lows, highs = {}, {}
        for info in set(infos):
            lows[info] = -math.inf if info.low is None else info.low
            highs[info] = math.inf if info.high is None else info.high
        return all(map(le, map(lows.__getitem__, infos), values)) and all(
            map(le, values, map(highs.__getitem__, infos))
        )

    # --- the slow path: row by row, every problem reported ---------------------------------

    def unknown_code(self, code: str) -> str:
        message = _("unknown indicator code “%(code)s”") % {"code": code}
        if suggestions := self.indicators.suggestions(code):
            message += " " + _("(nearest known codes: %(codes)s)") % {
                "codes": ", ".join(suggestions)
            }
        return message

    def check_rows(self, numbered_rows: Iterable[tuple[int, list[str]]]) -> None:
        result, at, width = self.result, self.at, self.width
        indicator_at, period_at, value_at = self.indicator_at, self.period_at, self.value_at
        problem, columns = result.problem, result.columns
        for line, row in numbered_rows:
            if not "".join(row).strip():
                continue
            if len(row) < width:
                row = [*row, *[""] * (width - len(row))]
            if self.other_region(row):
                continue
            result.row_count += 1
            ok = True
            code = row[indicator_at].strip()
            info = self.cached(self.found, self.indicators.find, row[indicator_at])
            series_text = self.series_name(row[at["series"]]) if at["series"] is not None else ""
            series = ""
            if info is None:
                problem(line, "indicator", self.unknown_code(code))
                ok = False
            elif (resolved := self.part(info, series_text)) is None:
                problem(
                    line,
                    "series",
                    _("the code names the series “%(named)s”, the series column “%(series)s”")
                    % {"named": info.series, "series": series_text},
                )
                ok, info = False, None
            else:
                info, series = resolved
            period_text = row[period_at]
            parsed_period = self.cached(self.periods, self.period, period_text)
            if parsed_period is None:
                problem(line, "period", period_problem(period_text))
                ok = False
            value_text = row[value_at]
            symbol = value_text.strip()
            value = None
            if symbol not in NO_VALUE:
                try:
                    value = parse_number(value_text)
                except ValueError:
                    problem(line, "value", number_problem(value_text))
                    ok = False
            if info is not None:
                if at["unit"] is not None and not self.unit_matches(info, row[at["unit"]]):
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
            if not ok or info is None or parsed_period is None:
                continue
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
            if value is None:
                result.no_value(line, info, series, period_text.strip(), symbol)
                continue
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


def read_file(
    data: bytes, filename: str, indicators: CodeBook, region: Region | None = None
) -> ParsedFile:
    """Parse and validate an uploaded file; FileRefused for problems with the whole file."""
    check_size(len(data))
    if not data.strip():
        raise FileRefused(_("The file is empty."))
    is_xlsx = filename.lower().endswith(".xlsx") or data.startswith(XLSX_MAGIC)
    with cyclic_gc_paused():
        rows = _xlsx_rows(data) if is_xlsx else _csv_rows(data)
        return parse_rows(_capped(rows), indicators, region=region)
