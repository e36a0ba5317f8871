"""Builders for complete letter data, a reader's-eye view of rendered HTML, and PDFs rendered
once per test session (WeasyPrint takes a few tenths of a second a letter)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from html.parser import HTMLParser

import pypdfium2  # type: ignore[import-untyped]
import pytest

from comms_api.domain.letters import TEMPLATES, LetterTemplate, ServiceArea, render_letter
from comms_api.gateways.pdf import POINTS_PER_MM, render_pdf

# A Friday, so a leasehold letter is dated the Monday after.
TODAY = dt.date(2026, 8, 14)
# The August bank holiday.
BANK_HOLIDAYS = frozenset({dt.date(2026, 8, 31)})

LetterDataBuilder = Callable[..., dict[str, object]]


@pytest.fixture
def today() -> dt.date:
    return TODAY


@pytest.fixture
def bank_holidays() -> frozenset[dt.date]:
    return BANK_HOLIDAYS


def _rent_letter_data(**changes: object) -> dict[str, object]:
    data: dict[str, object] = {
        "tenancy_ref": "0123456/01",
        "payment_ref": "1234567890",
        "title": "Ms",
        "forename": "Amira",
        "surname": "Okafor",
        "address_line1": "Flat 12",
        "address_line2": "Banister House",
        "address_line3": "Homerton High Street",
        "address_line4": "London",
        "address_line5": "",
        "address_post_code": "e9 6bd",
        "total_collectable_arrears_balance": "1234.56",
        "rent": "125.40",
        "agreement_frequency": "monthly",
        "amount": "20",
        "date_of_first_payment": "2026-09-01",
        "created_date": "2026-05-01",
        "expected_balance": "800",
        "checked_balance": "950.5",
        "court_date": "2026-10-14T10:30:00",
        "date_of_breach": "2026-07-06",
        "court_outcome": "SOT",
        "balance_on_court_outcome_date": "1500",
    }
    data.update(changes)
    return data


def _leasehold_letter_data(**changes: object) -> dict[str, object]:
    data: dict[str, object] = {
        "payment_ref": "LSC0001234",
        "tenancy_ref": "0987654/01",
        "lessee_full_name": "Mr Jonathan Patel",
        "lessee_short_name": "Mr Patel",
        "correspondence_address1": "4 Sanford Terrace",
        "correspondence_address2": "London",
        "correspondence_postcode": "N16 7LH",
        "property_address": "Flat 3 Nisbet House, E9 6BL",
        "total_collectable_arrears_balance": "2500",
        "international": False,
        "arrears_letter_1_date": "2026-06-01",
        "original_lease_date": "1998-03-02",
        "date_of_current_purchase_assignment": "2010-11-05",
        "money_judgement": "500",
    }
    data.update(changes)
    return data


@pytest.fixture
def rent_letter_data() -> LetterDataBuilder:
    """Complete data for every rent letter; keyword arguments change or add fields."""
    return _rent_letter_data


@pytest.fixture
def leasehold_letter_data() -> LetterDataBuilder:
    """Complete data for every leasehold letter; keyword arguments change or add fields."""
    return _leasehold_letter_data


def complete_data_for(template: LetterTemplate) -> dict[str, object]:
    if template.service_area is ServiceArea.RENT:
        return _rent_letter_data()
    return _leasehold_letter_data()


@pytest.fixture
def letter_data_for() -> Callable[[LetterTemplate], dict[str, object]]:
    return complete_data_for


class _TextOnly(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in {"style", "title"}:
            self._skipping += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in {"style", "title"}:
            self._skipping -= 1
        else:
            self.parts.append(" ")

    def handle_data(self, data: str) -> None:
        if not self._skipping:
            self.parts.append(data)


def _visible_text(html: str) -> str:
    parser = _TextOnly()
    parser.feed(html)
    return re.sub(r"\s+", " ", "".join(parser.parts)).strip()


@pytest.fixture
def visible_text() -> Callable[[str], str]:
    """What a reader sees of an HTML letter: its text, whitespace collapsed, no markup."""
    return _visible_text


@pytest.fixture(scope="session")
def letter_pdfs() -> dict[str, bytes]:
    """Every template rendered with complete data and made into a PDF."""
    return {
        template.id.value: render_pdf(
            render_letter(
                template.id,
                complete_data_for(template),
                today=TODAY,
                bank_holidays=BANK_HOLIDAYS,
            ).html
        )
        for template in TEMPLATES.values()
    }


@dataclass(frozen=True)
class PlacedText:
    """Text on a PDF page and its bounding box in points from the page's top-left corner."""

    text: str
    left: float
    top: float
    right: float
    bottom: float


def _page_characters(pdf: bytes, page_index: int) -> tuple[list[PlacedText], float, float]:
    document = pypdfium2.PdfDocument(pdf)
    try:
        page = document[page_index]
        width, height = page.get_size()
        text_page = page.get_textpage()
        characters = []
        for index in range(text_page.count_chars()):
            character = text_page.get_text_range(index, 1)
            if not character.strip():
                continue
            left, bottom, right, top = text_page.get_charbox(index)
            characters.append(PlacedText(character, left, height - top, right, height - bottom))
        return characters, width, height
    finally:
        document.close()


@pytest.fixture
def page_characters() -> Callable[[bytes, int], tuple[list[PlacedText], float, float]]:
    """(every visible character with its box, page width, page height), in points."""
    return _page_characters


def _lines_from(pdf: bytes, page_index: int, first_line: str, count: int) -> list[PlacedText]:
    """`count` lines of text on the page, starting with the first occurrence of `first_line`,
    each with its bounding box."""
    document = pypdfium2.PdfDocument(pdf)
    try:
        page = document[page_index]
        height = page.get_size()[1]
        text_page = page.get_textpage()
        found = text_page.search(first_line, match_case=True).get_next()
        assert found is not None, f"{first_line!r} is not on page {page_index + 1}"
        lines: list[list[tuple[str, tuple[float, float, float, float]]]] = [[]]
        index = found[0]
        while index < text_page.count_chars():
            character = text_page.get_text_range(index, 1)
            if character in "\r\n":
                if lines[-1]:
                    if len(lines) == count:
                        break
                    lines.append([])
            else:
                lines[-1].append((character, text_page.get_charbox(index)))
            index += 1
        return [
            PlacedText(
                "".join(character for character, _ in line),
                left=min(box[0] for _, box in line),
                top=height - max(box[3] for _, box in line),
                right=max(box[2] for _, box in line),
                bottom=height - min(box[1] for _, box in line),
            )
            for line in lines
        ]
    finally:
        document.close()


@pytest.fixture
def lines_from() -> Callable[[bytes, int, str, int], list[PlacedText]]:
    return _lines_from


@pytest.fixture
def mm() -> Callable[[float], float]:
    """Millimetres in points."""
    return lambda millimetres: millimetres * POINTS_PER_MM
