"""Letters as PDFs Notify will print (frontend-and-notify B.10), and their page previews."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable
from typing import Protocol

import pytest
from PIL import Image

from comms_api.domain.letters import TEMPLATES, get_template, render_letter
from comms_api.gateways.pdf import (
    LETTER_MAX_PAGE_COUNT,
    LetterTooLong,
    UnreadablePdf,
    page_count,
    preview_pages,
    render_pdf,
)


class PlacedText(Protocol):
    """Text on a page with its box in points from the top-left corner (see conftest)."""

    text: str
    left: float
    top: float
    right: float
    bottom: float


PageCharacters = Callable[[bytes, int], tuple[list[PlacedText], float, float]]
LinesFrom = Callable[[bytes, int, str, int], list[PlacedText]]

TEMPLATE_IDS = [template.value for template in TEMPLATES]
A4_POINTS = (595.28, 841.89)
ADDRESS_LINES = {
    "rent": [
        "Amira Okafor",
        "Flat 12",
        "Banister House",
        "Homerton High Street",
        "London",
        "E9 6BD",
    ],
    "leasehold": ["Mr Jonathan Patel", "4 Sanford Terrace", "London", "N16 7LH"],
}


def address_of(template_id: str) -> list[str]:
    return ADDRESS_LINES[get_template(template_id).service_area.value]


@pytest.mark.parametrize("template_id", TEMPLATE_IDS)
def test_letters_are_a4_and_within_the_page_limit(
    letter_pdfs: dict[str, bytes],
    page_characters: PageCharacters,
    template_id: str,
) -> None:
    pdf = letter_pdfs[template_id]
    pages = page_count(pdf)
    assert 1 <= pages <= LETTER_MAX_PAGE_COUNT
    assert len(pdf) <= 2 * 1024 * 1024
    for page_index in range(pages):
        _, width, height = page_characters(pdf, page_index)
        assert width == pytest.approx(A4_POINTS[0], abs=1)
        assert height == pytest.approx(A4_POINTS[1], abs=1)


@pytest.mark.parametrize("template_id", TEMPLATE_IDS)
def test_the_address_lies_inside_the_envelope_window(
    letter_pdfs: dict[str, bytes],
    lines_from: LinesFrom,
    page_characters: PageCharacters,
    mm: Callable[[float], float],
    template_id: str,
) -> None:
    pdf = letter_pdfs[template_id]
    lines = address_of(template_id)
    boxes = lines_from(pdf, 0, lines[0], len(lines))
    assert [box.text for box in boxes] == lines
    window_left, window_right = mm(24.6), mm(120)
    window_top, window_bottom = mm(39.5), mm(66.3)
    for box in boxes:
        assert box.left == pytest.approx(window_left, abs=mm(1.5)), box
        assert box.left >= window_left - 0.5
        assert box.right <= window_right
        assert box.top >= window_top
        assert box.bottom <= window_bottom
    # In order, postcode last.
    tops = [box.top for box in boxes]
    assert tops == sorted(tops)
    # Nothing but the address in the window (or in the clear zone around it).
    characters, _, _ = page_characters(pdf, 0)
    in_window = "".join(
        character.text
        for character in characters
        if character.left < mm(125) and character.bottom > mm(30) and character.top < mm(95)
    )
    assert in_window == "".join("".join(lines).split())


@pytest.mark.parametrize("template_id", TEMPLATE_IDS)
def test_all_text_is_inside_the_printable_area(
    letter_pdfs: dict[str, bytes],
    page_characters: PageCharacters,
    mm: Callable[[float], float],
    template_id: str,
) -> None:
    pdf = letter_pdfs[template_id]
    for page_index in range(page_count(pdf)):
        characters, width, height = page_characters(pdf, page_index)
        assert characters
        for character in characters:
            assert character.left >= mm(15), (page_index, character)
            assert character.right <= width - mm(15), (page_index, character)
            assert character.top >= mm(5), (page_index, character)
            assert character.bottom <= height - mm(5), (page_index, character)


@pytest.mark.parametrize("template_id", ["court_outcome_letter", "letter_before_action"])
def test_nothing_is_drawn_outside_the_printable_area(
    letter_pdfs: dict[str, bytes], template_id: str
) -> None:
    dpi = 72
    margin_x, margin_y = round(15 / 25.4 * dpi), round(5 / 25.4 * dpi)
    for preview in preview_pages(letter_pdfs[template_id], dpi=dpi):
        image = Image.open(io.BytesIO(preview.png)).convert("L")
        width, height = image.size
        for box in [
            (0, 0, margin_x, height),
            (width - margin_x, 0, width, height),
            (0, 0, width, margin_y),
            (0, height - margin_y, width, height),
        ]:
            assert image.crop(box).getextrema()[0] == 255, (preview.number, box)


@pytest.mark.parametrize(("dpi", "size"), [(96, (794, 1123)), (50, (413, 585))])
def test_previews_are_pngs_of_every_page(
    letter_pdfs: dict[str, bytes], dpi: int, size: tuple[int, int]
) -> None:
    pdf = letter_pdfs["letter_before_action"]
    previews = preview_pages(pdf, dpi=dpi)
    assert [preview.number for preview in previews] == list(range(1, page_count(pdf) + 1))
    for preview in previews:
        assert preview.png.startswith(b"\x89PNG\r\n\x1a\n")
        image = Image.open(io.BytesIO(preview.png))
        assert image.format == "PNG"
        assert image.size == pytest.approx(size, abs=1)
        assert (preview.width_px, preview.height_px) == image.size


def test_the_letter_before_action_runs_to_several_pages(letter_pdfs: dict[str, bytes]) -> None:
    assert page_count(letter_pdfs["letter_before_action"]) >= 4


def _pages_of_html(pages: int) -> str:
    breaks = '<p style="page-break-after: always">A page</p>' * (pages - 1)
    return f"<html><body>{breaks}<p>Last page</p></body></html>"


def test_ten_pages_is_the_limit() -> None:
    assert page_count(render_pdf(_pages_of_html(LETTER_MAX_PAGE_COUNT))) == 10


def test_more_than_ten_pages_is_refused() -> None:
    with pytest.raises(LetterTooLong) as refused:
        render_pdf(_pages_of_html(LETTER_MAX_PAGE_COUNT + 1))
    assert refused.value.pages == 11


def test_a_pdf_that_cannot_be_read_is_a_named_error() -> None:
    with pytest.raises(UnreadablePdf):
        page_count(b"not a pdf")


def test_preview_needs_a_positive_dpi(letter_pdfs: dict[str, bytes]) -> None:
    with pytest.raises(ValueError, match="dpi"):
        preview_pages(letter_pdfs["court_date_letter"], dpi=0)


def test_the_longest_address_allowed_still_fits_the_window(
    rent_letter_data: Callable[..., dict[str, object]],
    lines_from: LinesFrom,
    mm: Callable[[float], float],
) -> None:
    # Seven lines, one of the longest allowed, in capitals as UH often holds addresses.
    data = rent_letter_data(
        forename="Wilhelmina",
        surname="Montgomery-Worthington",
        address_line1="Flat 1234, Marlborough House",
        address_line2="MARLBOROUGH HOUSE WOODBERRY DOWN ESTATES",
        address_line5="Hackney",
    )
    html = render_letter("income_collection_letter_1", data, today=dt.date(2026, 8, 14)).html
    boxes = lines_from(render_pdf(html), 0, "Wilhelmina", 7)
    assert boxes[-1].text == "E9 6BD"
    for box in boxes:
        assert box.top >= mm(39.5)
        assert box.bottom <= mm(66.3)
        assert box.right <= mm(120)
