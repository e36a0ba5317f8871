"""Letter HTML → the A4 PDF GOV.UK Notify prints (frontend-and-notify B.10), with WeasyPrint,
and page images of a PDF for a caseworker's preview, with PDFium.

The layout (address in the envelope window, content inside the printable area) is set by the
letters' own stylesheet; this module enforces what a stylesheet cannot: the page count and the
file size Notify accepts."""

from __future__ import annotations

import io
import logging
import warnings
from dataclasses import dataclass

import pypdfium2  # type: ignore[import-untyped]

with warnings.catch_warnings():
    # WeasyPrint warns at import when the system lacks HarfBuzz's subsetting library; it then
    # embeds fonts whole, which only makes the PDF larger (still well under Notify's 2 MB).
    warnings.filterwarnings("ignore", "HarfBuzz-Subset", DeprecationWarning)
    import weasyprint  # type: ignore[import-untyped]

__all__ = [
    "A4_HEIGHT_MM",
    "A4_WIDTH_MM",
    "LETTER_MAX_PAGE_COUNT",
    "LETTER_MAX_SIZE_BYTES",
    "POINTS_PER_MM",
    "LetterPdfError",
    "LetterTooLarge",
    "LetterTooLong",
    "PagePreview",
    "UnreadablePdf",
    "page_count",
    "preview_pages",
    "render_pdf",
]

logger = logging.getLogger(__name__)

# Notify's limits for a precompiled letter.
LETTER_MAX_PAGE_COUNT = 10
LETTER_MAX_SIZE_BYTES = 2 * 1024 * 1024

A4_WIDTH_MM = 210
A4_HEIGHT_MM = 297
POINTS_PER_MM = 72 / 25.4
_POINTS_PER_INCH = 72


class LetterPdfError(Exception):
    """A letter could not be made into a PDF Notify would accept."""


class LetterTooLong(LetterPdfError):
    def __init__(self, pages: int) -> None:
        super().__init__(
            f"The letter is {pages} pages long; Notify prints at most {LETTER_MAX_PAGE_COUNT}"
        )
        self.pages = pages


class LetterTooLarge(LetterPdfError):
    def __init__(self, size_bytes: int) -> None:
        super().__init__(
            f"The letter's PDF is {size_bytes} bytes; Notify accepts at most "
            f"{LETTER_MAX_SIZE_BYTES}"
        )
        self.size_bytes = size_bytes


class UnreadablePdf(LetterPdfError):
    """The bytes given are not a PDF PDFium can open."""


@dataclass(frozen=True)
class PagePreview:
    number: int
    png: bytes
    width_px: int
    height_px: int


def render_pdf(html: str) -> bytes:
    """The letter as an A4 PDF. The HTML must be self-contained (the letter templates inline
    their styles and load nothing). Raises `LetterTooLong` past 10 pages and `LetterTooLarge`
    past 2 MB, as Notify would reject the letter after it had been sent."""
    document = weasyprint.HTML(string=html).render()
    pages = len(document.pages)
    if pages > LETTER_MAX_PAGE_COUNT:
        raise LetterTooLong(pages)
    pdf: bytes = document.write_pdf()
    if len(pdf) > LETTER_MAX_SIZE_BYTES:
        raise LetterTooLarge(len(pdf))
    logger.debug("letter PDF rendered", extra={"pages": pages, "size_bytes": len(pdf)})
    return pdf


def _open(pdf: bytes) -> pypdfium2.PdfDocument:
    try:
        return pypdfium2.PdfDocument(pdf)
    except pypdfium2.PdfiumError as error:
        raise UnreadablePdf(str(error)) from error


def page_count(pdf: bytes) -> int:
    document = _open(pdf)
    try:
        return len(document)
    finally:
        document.close()


def preview_pages(pdf: bytes, *, dpi: int = 96) -> list[PagePreview]:
    """Each page as a PNG at `dpi` (an A4 page at 96 dpi is 794 x 1123 pixels)."""
    if dpi <= 0:
        raise ValueError("dpi must be positive")
    document = _open(pdf)
    previews = []
    try:
        for index in range(len(document)):
            page = document[index]
            try:
                image = page.render(scale=dpi / _POINTS_PER_INCH).to_pil()
            finally:
                page.close()
            buffer = io.BytesIO()
            image.save(buffer, format="PNG", dpi=(dpi, dpi))
            previews.append(PagePreview(index + 1, buffer.getvalue(), image.width, image.height))
    finally:
        document.close()
    return previews
