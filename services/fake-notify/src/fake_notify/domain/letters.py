"""Letters: checking a precompiled PDF (B.10), drawing a templated one, delivery estimates."""

from __future__ import annotations

import datetime as dt
import io
import textwrap

from pypdf import PdfReader
from pypdf.errors import PyPdfError

from ma_shared.uk_time import LONDON

MAX_PAGES = 10  # Notify's LETTER_MAX_PAGE_COUNT
MAX_BYTES = 2 * 1024 * 1024
# Letters in by 17:30 London time are printed that evening.
PRINT_CUT_OFF = dt.time(17, 30)
WORKING_DAYS_TO_DELIVER = {"first": 1, "second": 2, "economy": 4, "europe": 3, "rest-of-world": 5}


def precompiled_problem(pdf: bytes) -> str | None:
    """Why Notify's letter validation would fail this PDF (its reason codes), or None."""
    if not pdf.startswith(b"%PDF-"):
        return "not-a-pdf"
    if len(pdf) > MAX_BYTES:
        return "file-too-large"
    try:
        pages = len(PdfReader(io.BytesIO(pdf)).pages)
    except (PyPdfError, ValueError, KeyError, TypeError):
        return "unable-to-read-the-file"
    if pages > MAX_PAGES:
        return "letter-too-long"
    return None


def _next_working_day(day: dt.date) -> dt.date:
    day += dt.timedelta(days=1)
    while day.weekday() >= 5:
        day += dt.timedelta(days=1)
    return day


def estimated_delivery(created_at: dt.datetime, postage: str) -> dt.datetime:
    local = created_at.astimezone(LONDON)
    printed = local.date()
    if local.time() >= PRINT_CUT_OFF or printed.weekday() >= 5:
        printed = _next_working_day(printed)
    delivered = printed
    for _ in range(WORKING_DAYS_TO_DELIVER.get(postage, 2)):
        delivered = _next_working_day(delivered)
    return dt.datetime.combine(delivered, dt.time(16), tzinfo=dt.UTC)


_LINES_PER_PAGE = 52


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def render_letter_pdf(text_lines: list[str]) -> bytes:
    """A plain A4 PDF of the letter's text, so `get_pdf_for_letter` returns a real PDF."""
    wrapped = [part for line in text_lines for part in (textwrap.wrap(line, 90) or [""])]
    pages = [
        wrapped[start : start + _LINES_PER_PAGE]
        for start in range(0, max(len(wrapped), 1), _LINES_PER_PAGE)
    ]
    page_count = len(pages)
    first_page_object = 4
    objects: list[bytes] = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids ["
        + b" ".join(b"%d 0 R" % (first_page_object + 2 * i) for i in range(page_count))
        + b"] /Count %d >>" % page_count,
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
    ]
    for index, page in enumerate(pages):
        operators = ["BT", "/F1 10 Tf", "14 TL", "57 785 Td"]  # 20 mm in, 20 mm down
        operators += [f"({_escape(line)}) Tj T*" for line in page]
        operators.append("ET")
        stream = "\n".join(operators).encode("cp1252", "replace")
        contents_object = first_page_object + 2 * index + 1
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
            b"/Resources << /Font << /F1 3 0 R >> >> /Contents %d 0 R >>" % contents_object
        )
        objects.append(b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream))
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)
