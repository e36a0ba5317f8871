"""Documents from the old system, listed in a CSV beside a folder of their files: what makes a
row importable, and what identifies it so that importing the same CSV again imports nothing
twice. No I/O here; the import command reads the CSV and the files."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import PurePosixPath

from ma_shared.references import TENANCY_REF_PATTERN

CSV_COLUMNS = ("filename", "payment_ref", "tenancy_ref", "date", "type", "description")
# A CSV without a description column is still complete.
REQUIRED_COLUMNS = CSV_COLUMNS[:-1]

# The file types the old system held, and the media type each is served with.
CONTENT_TYPES = {
    "pdf": "application/pdf",
    "doc": "application/msword",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "rtf": "application/rtf",
    "txt": "text/plain",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "png": "image/png",
    "tif": "image/tiff",
    "tiff": "image/tiff",
}
MAX_SIZE_BYTES = 20 * 1024 * 1024
# The documents table's limits.
MAX_FILENAME_LENGTH = 255
MAX_TYPE_LENGTH = 200
# A year before this is a typing mistake (e.g. 0219 for 2019).
EARLIEST_YEAR = 1900

PAYMENT_REF = re.compile(r"^[0-9]{10}$")
_TENANCY_REF = re.compile(TENANCY_REF_PATTERN)

LEGACY_CREATED_BY = "legacy import"


@dataclass(frozen=True)
class LegacyDocument:
    """One importable row of the CSV."""

    line: int
    # As given: a path relative to the import folder, `/` between folders.
    path: str
    payment_ref: str | None
    tenancy_ref: str | None
    document_date: dt.date
    document_type: str
    description: str | None
    content_type: str

    @property
    def filename(self) -> str:
        return PurePosixPath(self.path).name


class InvalidLegacyRow(Exception):
    """Every reason one row cannot be imported."""

    def __init__(self, line: int, reasons: list[str]) -> None:
        super().__init__("; ".join(reasons))
        self.line = line
        self.reasons = reasons


def missing_columns(header: Iterable[str]) -> list[str]:
    present = {name.strip().lower() for name in header}
    return [name for name in REQUIRED_COLUMNS if name not in present]


def _path_problems(path: str) -> list[str]:
    if not path:
        return ["filename is empty"]
    if "\\" in path or "\x00" in path:
        return [f"filename {path!r} has a backslash or NUL: use / between folders"]
    parts = PurePosixPath(path).parts
    if PurePosixPath(path).is_absolute() or ".." in parts:
        return [f"filename {path!r} must be a path inside the import folder"]
    name = parts[-1]
    problems = []
    if len(name) > MAX_FILENAME_LENGTH:
        problems.append(f"filename is longer than {MAX_FILENAME_LENGTH} characters")
    extension = name.rpartition(".")[2].lower() if "." in name else ""
    if extension not in CONTENT_TYPES:
        problems.append(
            f"file type {extension or '(none)'!r} is not one of {', '.join(CONTENT_TYPES)}"
        )
    return problems


def _parse_date(text: str, today: dt.date) -> tuple[dt.date | None, list[str]]:
    if not text:
        return None, ["date is empty"]
    try:
        if "/" in text:
            day = dt.datetime.strptime(text, "%d/%m/%Y").date()  # noqa: DTZ007 - a date only
        else:
            day = dt.date.fromisoformat(text)
    except ValueError:
        return None, [f"date {text!r} is not a date (YYYY-MM-DD or DD/MM/YYYY)"]
    if day > today:
        return None, [f"date {text!r} is in the future"]
    if day.year < EARLIEST_YEAR:
        return None, [f"date {text!r} is before {EARLIEST_YEAR}"]
    return day, []


def parse_row(line: int, row: Mapping[str, str | None], *, today: dt.date) -> LegacyDocument:
    """The row as a document to import, or `InvalidLegacyRow` with every reason it is not."""

    def value(column: str) -> str:
        return (row.get(column) or "").strip()

    path = value("filename")
    problems = _path_problems(path)
    payment_ref, tenancy_ref = value("payment_ref"), value("tenancy_ref")
    if not payment_ref and not tenancy_ref:
        problems.append("give a payment_ref or a tenancy_ref (or both)")
    if payment_ref and not PAYMENT_REF.match(payment_ref):
        problems.append(f"payment_ref {payment_ref!r} is not 10 digits")
    if tenancy_ref and not _TENANCY_REF.match(tenancy_ref):
        problems.append(
            f"tenancy_ref {tenancy_ref!r} is not 6 or 7 digits, '/', 2 digits (e.g. 012345/01)"
        )
    document_date, date_problems = _parse_date(value("date"), today)
    problems += date_problems
    document_type = value("type")
    if not document_type:
        problems.append("type is empty")
    elif len(document_type) > MAX_TYPE_LENGTH:
        problems.append(f"type is longer than {MAX_TYPE_LENGTH} characters")
    if problems or document_date is None:
        raise InvalidLegacyRow(line, problems)
    return LegacyDocument(
        line=line,
        path=path,
        payment_ref=payment_ref or None,
        tenancy_ref=tenancy_ref or None,
        document_date=document_date,
        document_type=document_type,
        description=value("description") or None,
        content_type=CONTENT_TYPES[path.rpartition(".")[2].lower()],
    )


def size_problem(size_bytes: int) -> str | None:
    if size_bytes == 0:
        return "the file is empty"
    if size_bytes > MAX_SIZE_BYTES:
        return f"the file is larger than {MAX_SIZE_BYTES // (1024 * 1024)} MB"
    return None


def import_key(document: LegacyDocument, content: bytes) -> str:
    """The row's identity: the same file with the same content about the same references is
    the same document, however often the CSV is imported."""
    identity = [
        document.path,
        hashlib.sha256(content).hexdigest(),
        document.payment_ref or "",
        document.tenancy_ref or "",
    ]
    return hashlib.sha256(json.dumps(identity).encode()).hexdigest()
