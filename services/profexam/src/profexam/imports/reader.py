"""Reading an uploaded workbook safely: format and zip checks first, then one streaming pass.

What a bad file gets (nothing is written for any of them):
- not a workbook, or an Excel 97–2003 `.xls`, ODS, PDF … → 415 naming the format;
- a password-protected file (an encrypted OOXML package is an OLE2 compound file) → 422;
- a damaged zip or workbook → 422;
- a zip bomb (declared unpacked size over the limit, or a member packed tighter than the
  ratio limit) → 422, checked on the zip directory before openpyxl opens anything;
- more data rows than the limit → 422, counted while streaming (the pass stops at once).

The sheet is streamed (openpyxl read-only, cached values of formulas); only the mapped columns
of the rows in range are kept. Formulas without a cached value and Excel error values become
markers that reject their row. Merged cells: every cell of a merge reads the merge's top-left
value; when that value lies outside what is imported (another column or above the first row),
the covered cells get a marker that rejects the row.
"""

from __future__ import annotations

import io
import pyexpat
import re
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from typing import IO, Any
from xml.etree.ElementTree import XMLPullParser
from xml.parsers import expat

from openpyxl.reader.excel import ExcelReader
from openpyxl.utils.cell import column_index_from_string, range_boundaries
from openpyxl.utils.datetime import from_excel
from openpyxl.worksheet._read_only import ReadOnlyWorksheet
from openpyxl.worksheet._reader import (
    FORMULA_TAG,
    INLINE_STRING,
    MERGE_TAG,
    ROW_TAG,
    VALUE_TAG,
    WorkSheetParser,
    _cast_number,
)
from openpyxl.xml.constants import SHEET_MAIN_NS
from openpyxl.xml.functions import iterparse  # defusedxml's when installed, as openpyxl itself

from clinic_shared.errors import UnsupportedMediaType, ValidationFailed
from profexam.imports.cells import FORMULA_WITHOUT_VALUE, CellError, MergedOutside

OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"
# A zip member this small cannot do harm whatever its ratio (styles, rels …).
BOMB_MIN_BYTES = 1024 * 1024
MAX_ZIP_MEMBERS = 10_000
READ_CHUNK_BYTES = 256 * 1024
# Entity-expansion bombs are refused by expat itself from this version on (see `_CellParser.rows`).
SAFE_EXPAT = (2, 4, 1)
PROGRESS_EVERY_ROWS = 1_000
DIMENSION_TAG = f"{{{SHEET_MAIN_NS}}}dimension"
SHEET_DATA_TAG = f"{{{SHEET_MAIN_NS}}}sheetData"
TEXT_TAG = f"{{{SHEET_MAIN_NS}}}t"
# A `<row …>` start tag, with or without a namespace prefix (not `<rowBreaks>`): its attributes.
_ROW_START = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?row(?=[\s/>])([^>]*)>")
_ROW_NUMBER = re.compile(rb'\br\s*=\s*["\']\s*(\d+)')


@dataclass(frozen=True)
class ReadLimits:
    max_rows: int
    max_uncompressed_bytes: int
    max_compression_ratio: int


@dataclass(frozen=True)
class SheetSpec:
    """Which sheet and rows to read, and which column (1-based) holds each field."""

    columns: dict[str, int]
    first_row: int = 2
    last_row: int | None = None
    sheet: str | int | None = None


@dataclass
class SheetRows:
    """The non-empty rows in range: their numbers and the values of the mapped columns."""

    sheet: str
    columns: dict[str, int]
    slots: dict[int, int]
    rows: list[tuple[int, list[Any]]] = field(default_factory=list)

    def value(self, values: list[Any], field_name: str) -> Any:
        """The cell of `field_name` in one row's values (None when the field is not mapped)."""
        column = self.columns.get(field_name)
        return None if column is None else values[self.slots[column]]


def file_problem(message: str) -> ValidationFailed:
    """A 422 about the uploaded file itself."""
    return ValidationFailed(message, errors=[{"field": "file", "message": message}])


def check_format(content: bytes) -> None:
    """Refuse anything but an xlsx package, naming what it is when we can tell."""
    if content.startswith(OLE2_MAGIC):
        if _ole_has_stream(content, "EncryptedPackage") or _ole_has_stream(content, "EncryptionInfo"):
            raise file_problem("The workbook is password-protected; remove the password and upload it again.")
        if _ole_has_stream(content, "Workbook") or _ole_has_stream(content, "Book"):
            raise UnsupportedMediaType(
                "The file is an Excel 97–2003 workbook (.xls); save it as an Excel workbook (.xlsx) and upload it again.",
                errors=[{"field": "file", "message": "xls is not supported; use xlsx"}],
            )
        raise _not_a_workbook("an OLE2 compound document (an old Office file that is not a workbook)")
    if content.startswith(b"%PDF"):
        raise _not_a_workbook("a PDF document")
    if not content.startswith(ZIP_MAGIC):
        raise _not_a_workbook("not an Excel workbook")


def _not_a_workbook(what: str) -> UnsupportedMediaType:
    message = f"The file is {what}; upload an Excel workbook (.xlsx)."
    return UnsupportedMediaType(message, errors=[{"field": "file", "message": message}])


def _ole_has_stream(content: bytes, name: str) -> bool:
    # Directory entries of a compound file store names in UTF-16LE; a byte search is enough
    # to tell an encrypted package from a legacy workbook.
    return name.encode("utf-16-le") + b"\x00\x00" in content


def check_zip(content: bytes, limits: ReadLimits) -> None:
    """Check the package from its zip directory alone: readable, an xlsx, no zip bomb."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise file_problem("The file is damaged: it is not a readable xlsx (zip) package.") from exc
    with archive:
        members = archive.infolist()
        names = {m.filename for m in members}
        if "mimetype" in names and any(n == "content.xml" for n in names):
            raise _not_a_workbook("an OpenDocument file (.ods)")
        if "word/document.xml" in names:
            raise _not_a_workbook("a Word document")
        if "xl/workbook.xml" not in names and not any(n.endswith("/workbook.xml") for n in names):
            raise _not_a_workbook("a zip archive, not an Excel workbook")
        if len(members) > MAX_ZIP_MEMBERS:
            raise file_problem(f"The package has more than {MAX_ZIP_MEMBERS} parts; it is not a normal workbook.")
        declared = sum(m.file_size for m in members)
        if declared > limits.max_uncompressed_bytes:
            raise file_problem(
                f"The workbook unpacks to {declared // (1024 * 1024)} MB, more than the "
                f"{limits.max_uncompressed_bytes // (1024 * 1024)} MB allowed."
            )
        for member in members:
            ratio = member.file_size / max(member.compress_size, 1)
            if member.file_size > BOMB_MIN_BYTES and ratio > limits.max_compression_ratio:
                raise file_problem(
                    f"The workbook part {member.filename} is compressed {int(ratio)}:1, which only a zip bomb is; "
                    "the file was not opened."
                )


class PreparedSheet:
    """An opened workbook and the chosen sheet, ready to stream (close it when done)."""

    def __init__(self, content: bytes, spec: SheetSpec) -> None:
        try:
            reader = _WorkbookReader(io.BytesIO(content), read_only=True, data_only=True)
            reader.read()
            self.workbook = reader.wb
        except Exception as exc:  # openpyxl raises many types for a broken package
            raise file_problem("The file is damaged: the workbook inside cannot be read.") from exc
        self.sheet = _choose_sheet(self.workbook, spec.sheet)
        self.spec = spec

    def estimated_rows(self) -> int | None:
        """Rows in range by the sheet's declared dimension (None when it declares none)."""
        max_row = self.sheet.max_row
        if max_row is None:
            return None
        last = min(max_row, self.spec.last_row) if self.spec.last_row else max_row
        return max(0, last - self.spec.first_row + 1)

    def count_rows(self, stop_after: int) -> int:
        """Rows in range holding a value; stops once past `stop_after`.

        The non-empty `<row>` tags in range are counted first by a byte scan (no XML parsing).
        That is an upper bound (a row may hold only formatted empty cells); when it is within
        the limit it is the answer. Only above the limit are the rows counted exactly.
        """
        tags = self._count_row_tags()
        if tags is not None and tags <= stop_after:
            return tags
        return self._count_rows_with_values(stop_after)

    def _count_row_tags(self) -> int | None:
        counter = _RowTagCounter(self.spec)
        try:
            with self.sheet._get_source() as source:
                tail = b""
                while chunk := source.read(1024 * 1024):
                    data = tail + chunk
                    # A tag is never split: the text from the last "<" waits for the next chunk.
                    cut = data.rfind(b"<")
                    cut = len(data) if cut == -1 else cut
                    counter.scan(data, cut)
                    tail = data[cut:]
                counter.scan(tail, len(tail))
        except Exception:  # a damaged part: the exact pass reports it
            return None
        return counter.count

    def _count_rows_with_values(self, stop_after: int) -> int:
        counter = _RowCounter(self.spec, stop_after)
        parser = expat.ParserCreate()
        parser.StartElementHandler = counter.start
        parser.EndElementHandler = counter.end
        try:
            with self.sheet._get_source() as source:
                while chunk := source.read(256 * 1024):
                    parser.Parse(chunk, False)
                parser.Parse(b"", True)
        except _Enough:
            pass
        except Exception as exc:
            raise file_problem("The file is damaged: the sheet cannot be read to the end.") from exc
        return counter.count

    def close(self) -> None:
        self.workbook.close()


class _RowTagCounter:
    """Counts `<row>` start tags in range that are not empty (`<row …/>`), from raw sheet bytes."""

    def __init__(self, spec: SheetSpec) -> None:
        self.spec = spec
        self.count = self.number = 0

    def scan(self, data: bytes, end: int) -> None:
        first, last = self.spec.first_row, self.spec.last_row
        for attributes in _ROW_START.findall(data, 0, end):
            found = _ROW_NUMBER.search(attributes)
            self.number = int(found.group(1)) if found else self.number + 1
            if not attributes.endswith(b"/") and self.number >= first and (last is None or self.number <= last):
                self.count += 1


class _Enough(Exception):
    """Stops the counting pass once the limit is passed."""


class _RowCounter:
    """expat callbacks: counts `<row>` elements in range that hold a `<v>` or an inline string."""

    def __init__(self, spec: SheetSpec, stop_after: int) -> None:
        self.spec, self.stop_after = spec, stop_after
        self.count = self.number = 0
        self.has_value = False

    def start(self, name: str, attrs: dict[str, str]) -> None:
        tag = name.rpartition(":")[2]
        if tag == "row":
            self.number = int(float(attrs["r"])) if "r" in attrs else self.number + 1
            self.has_value = False
        elif tag in ("v", "is"):
            self.has_value = True

    def end(self, name: str) -> None:
        if name.rpartition(":")[2] != "row" or not self.has_value:
            return
        spec = self.spec
        if self.number >= spec.first_row and (spec.last_row is None or self.number <= spec.last_row):
            self.count += 1
            if self.count > self.stop_after:
                raise _Enough


class _Worksheet(ReadOnlyWorksheet):
    """openpyxl's read-only sheet, reading its declared size from the sheet's head only.

    openpyxl looks for `<dimension>` with a pass that, when the sheet declares none (as
    openpyxl's own write-only mode saves), parses every row before giving up: a whole extra
    reading of the file. The schema puts `<dimension>` before `<sheetData>`, so the search
    stops where the rows begin.
    """

    def _get_size(self) -> None:
        with self._get_source() as source:
            boundaries = _declared_dimension(source)
        if boundaries is not None:
            self._min_column, self._min_row, self._max_column, self._max_row = boundaries


def _declared_dimension(source: IO[bytes]) -> tuple[int, int, int, int] | None:
    for _event, element in iterparse(source, events=("start",)):
        if element.tag == DIMENSION_TAG:
            try:
                return range_boundaries(element.get("ref", ""))
            except (TypeError, ValueError):
                return None
        if element.tag == SHEET_DATA_TAG:
            return None
    return None


class _WorkbookReader(ExcelReader):
    """`load_workbook(read_only=True)` with `_Worksheet` sheets (chart sheets as openpyxl reads them)."""

    def read_worksheets(self) -> None:
        for sheet, rel in self.parser.find_sheets():
            if rel.target not in self.valid_files:
                continue
            if "chartsheet" in rel.Type:
                self.read_chartsheet(sheet, rel)
                continue
            worksheet = _Worksheet(self.wb, sheet.name, rel.target, self.shared_strings)
            worksheet.sheet_state = sheet.state
            self.wb._sheets.append(worksheet)


def _choose_sheet(workbook: Any, wanted: str | int | None) -> ReadOnlyWorksheet:
    sheets = list(workbook.worksheets)
    visible = [s for s in sheets if getattr(s, "sheet_state", "visible") == "visible"]
    if wanted is None:
        if not visible:
            raise ValidationFailed.field(
                "mapping.sheet", "the workbook has no visible sheet; name the sheet to read", "no_visible_sheet"
            )
        return visible[0]
    if isinstance(wanted, int):
        if not 1 <= wanted <= len(visible):
            raise ValidationFailed.field(
                "mapping.sheet",
                f"the workbook has {len(visible)} visible sheet(s); sheet {wanted} does not exist",
                "unknown_sheet",
            )
        return visible[wanted - 1]
    for sheet in sheets:  # a name may point at a hidden sheet on purpose
        if sheet.title == wanted:
            return sheet
    names = ", ".join(s.title for s in visible)
    raise ValidationFailed.field(
        "mapping.sheet", f"no sheet named {wanted!r}; the visible sheets are: {names}", "unknown_sheet"
    )


class _CellParser(WorkSheetParser):
    """openpyxl's streaming parser, telling 'formula without a cached value' from 'empty'.

    Rows come back as `(column, value)` of the wanted columns only. A plain cell (one `<v>`,
    or an inline string of one `<t>`) is read here directly, as openpyxl would read it;
    anything else (formulas, errors, rich text, booleans …) goes through openpyxl's `parse_cell`.
    """

    row_counter: int  # the parent's, which the parent sets without a declared type

    def __init__(self, *args: Any, wanted: set[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.wanted = wanted
        self.merge_refs: list[str] = []

    def rows(self) -> Iterator[tuple[int, list[tuple[int, Any]]]]:
        """Every `<row>` as `parse_row` reads it; the merged ranges are in `merge_refs` afterwards.

        openpyxl parses with defusedxml when it is installed, whose parser runs in Python:
        most of the time of reading a sheet. Its protections (entity expansion bombs, external
        entities) are built into the expat that the standard library's C parser uses since
        expat 2.4.1, which is then used instead; with an older expat, openpyxl's own parse.
        """
        if pyexpat.version_info < SAFE_EXPAT:
            yield from self.parse()
            self.merge_refs = [m.ref for m in self.merged_cells.mergeCell] if self.merged_cells else []
            return
        parser: Any = XMLPullParser(events=("end",))  # its events are ("end", element) only
        while True:
            chunk = self.source.read(READ_CHUNK_BYTES)
            if chunk:
                parser.feed(chunk)
            else:
                parser.close()
            for _event, element in parser.read_events():
                if element.tag == ROW_TAG:
                    yield self.parse_row(element)
                    element.clear()
                elif element.tag == MERGE_TAG:
                    self.merge_refs = [m.get("ref", "") for m in element]
                    element.clear()
            if not chunk:
                return

    def parse_row(self, row: Any) -> tuple[int, list[tuple[int, Any]]]:
        # Like the parent, but without keeping each row's attributes: bounded memory.
        number = row.get("r")
        self.row_counter = int(float(number)) if number is not None else self.row_counter + 1
        self.col_counter = 0
        cells: list[tuple[int, Any]] = []
        for element in row:
            coordinate = element.get("r")
            column = _column_of(coordinate) if coordinate else self.col_counter + 1
            self.col_counter = column
            if column in self.wanted:
                cells.append((column, self.cell_value(element)))
        return self.row_counter, cells

    def cell_value(self, element: Any) -> Any:
        if len(element) == 1:
            child = element[0]
            kind = element.get("t", "n")
            if child.tag == VALUE_TAG and kind in ("n", "s"):
                text = child.text
                if not text:
                    return None
                if kind == "s":
                    return self.shared_strings[int(text)]
                style = element.get("s")
                style_id = int(style) if style else 0
                if style_id not in self.date_formats:
                    return _cast_number(text)
                try:
                    return from_excel(_cast_number(text), self.epoch, timedelta=style_id in self.timedelta_formats)
                except (OverflowError, ValueError):
                    pass  # openpyxl's path turns it into an error value
            elif child.tag == INLINE_STRING and kind == "inlineStr" and len(child) == 1 and child[0].tag == TEXT_TAG:
                return child[0].text or ""
        return self.parse_cell(element)["value"]

    def parse_cell(self, element: Any) -> dict[str, Any]:
        cell = super().parse_cell(element)
        if cell["data_type"] == "e" and cell["value"] is not None:
            cell["value"] = CellError(str(cell["value"]))
        elif element.find(FORMULA_TAG) is not None and not element.findtext(VALUE_TAG):
            # No cached value (`<v/>` or none), as openpyxl and other non-calculating writers
            # save formulas; a formula that computed "" is typed t="str" and stays "".
            if element.get("t") != "str":
                cell["value"] = FORMULA_WITHOUT_VALUE
        return cell


def read_rows(
    prepared: PreparedSheet, limits: ReadLimits, on_progress: Callable[[int], None] | None = None
) -> SheetRows:
    """Stream the sheet once: the non-empty rows in range, merges resolved, the row limit enforced."""
    spec, sheet = prepared.spec, prepared.sheet
    slots = {column: slot for slot, column in enumerate(sorted(set(spec.columns.values())))}
    result = SheetRows(sheet=sheet.title, columns=dict(spec.columns), slots=slots)
    workbook = prepared.workbook
    try:
        with sheet._get_source() as source:
            parser = _CellParser(
                source,
                sheet._shared_strings,
                data_only=True,
                epoch=workbook.epoch,
                date_formats=workbook._date_formats,
                timedelta_formats=workbook._timedelta_formats,
                wanted=set(slots),
            )
            for number, cells in parser.rows():
                if number < spec.first_row or (spec.last_row is not None and number > spec.last_row):
                    continue  # keep parsing: the merges are listed after the rows
                values: list[Any] = [None] * len(slots)
                filled = False
                for column, value in cells:
                    if not _is_blank(value):
                        values[slots[column]] = value
                        filled = True
                if not filled:
                    continue
                result.rows.append((number, values))
                if len(result.rows) > limits.max_rows:
                    raise ValidationFailed.field(
                        "file",
                        f"the sheet has more than {limits.max_rows} data rows; split the list into several files",
                    )
                if on_progress is not None and len(result.rows) % PROGRESS_EVERY_ROWS == 0:
                    on_progress(len(result.rows))
            merges = parser.merge_refs
    except ValidationFailed:
        raise
    except Exception as exc:  # a part that lies about its size, broken XML …
        raise file_problem("The file is damaged: the sheet cannot be read to the end.") from exc
    if merges:
        _fill_merges(result, merges)
    return result


def _column_of(coordinate: str) -> int:
    """'K12' → 11."""
    return _column_index(coordinate.rstrip("0123456789"))


@lru_cache(maxsize=1024)
def _column_index(letters: str) -> int:
    # Cached: the same few letters repeat on every row.
    return column_index_from_string(letters)


def _is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _fill_merges(result: SheetRows, refs: list[str]) -> None:
    by_number = {number: values for number, values in result.rows}
    for ref in refs:
        min_col, min_row, max_col, max_row = range_boundaries(ref)
        covered = [c for c in result.slots if min_col <= c <= max_col]
        if not covered:
            continue
        origin = by_number.get(min_row)
        origin_slot = result.slots.get(min_col)
        if origin is not None and origin_slot is not None:
            value: Any = origin[origin_slot]
        else:
            value = MergedOutside(ref)
        for number in range(min_row, max_row + 1):
            values = by_number.get(number)
            if values is None:
                continue
            for column in covered:
                if (number, column) != (min_row, min_col):
                    values[result.slots[column]] = value
