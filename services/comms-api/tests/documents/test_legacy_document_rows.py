"""What makes a row of the old system's CSV importable, each rule on its own."""

from __future__ import annotations

import datetime as dt

import pytest

from comms_api.domain.legacy_documents import (
    InvalidLegacyRow,
    import_key,
    missing_columns,
    parse_row,
    size_problem,
)

TODAY = dt.date(2026, 8, 14)


def _row(**changes: str) -> dict[str, str | None]:
    row: dict[str, str | None] = {
        "filename": "2019/nosp-0123456.pdf",
        "payment_ref": "1234567890",
        "tenancy_ref": "0123456/01",
        "date": "2019-03-02",
        "type": "Notice seeking possession",
        "description": "Served by hand",
    }
    row.update(changes)
    return row


def test_a_complete_row_is_a_document_to_import() -> None:
    document = parse_row(7, _row(), today=TODAY)

    assert document.line == 7
    assert (document.path, document.filename) == ("2019/nosp-0123456.pdf", "nosp-0123456.pdf")
    assert (document.payment_ref, document.tenancy_ref) == ("1234567890", "0123456/01")
    assert document.document_date == dt.date(2019, 3, 2)
    assert document.document_type == "Notice seeking possession"
    assert document.description == "Served by hand"
    assert document.content_type == "application/pdf"


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        pytest.param({"date": "02/03/2019"}, dt.date(2019, 3, 2), id="dd/mm/yyyy is day first"),
        pytest.param({"date": "2/3/2019"}, dt.date(2019, 3, 2), id="single-digit day and month"),
        pytest.param({"date": "2026-08-14"}, TODAY, id="today is not the future"),
    ],
)
def test_dates_are_iso_or_british(changes: dict[str, str], expected: dt.date) -> None:
    assert parse_row(2, _row(**changes), today=TODAY).document_date == expected


@pytest.mark.parametrize(
    ("changes", "refs"),
    [
        pytest.param({"tenancy_ref": ""}, ("1234567890", None), id="a payment ref alone"),
        pytest.param({"payment_ref": ""}, (None, "0123456/01"), id="a tenancy ref alone"),
        pytest.param({"tenancy_ref": " 012345/01 "}, ("1234567890", "012345/01"), id="trimmed"),
    ],
)
def test_one_reference_is_enough(changes: dict[str, str], refs: tuple[str | None, ...]) -> None:
    document = parse_row(2, _row(**changes), today=TODAY)

    assert (document.payment_ref, document.tenancy_ref) == refs


@pytest.mark.parametrize(
    ("filename", "content_type"),
    [
        ("letter.PDF", "application/pdf"),
        ("letter.doc", "application/msword"),
        (
            "letter.docx",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        ("letter.rtf", "application/rtf"),
        ("note.txt", "text/plain"),
        ("photo.jpg", "image/jpeg"),
        ("photo.jpeg", "image/jpeg"),
        ("scan.png", "image/png"),
        ("scan.tif", "image/tiff"),
        ("scan.tiff", "image/tiff"),
    ],
)
def test_each_allowed_file_type_is_served_as_its_media_type(
    filename: str, content_type: str
) -> None:
    assert parse_row(2, _row(filename=filename), today=TODAY).content_type == content_type


@pytest.mark.parametrize(
    ("changes", "reason"),
    [
        pytest.param({"filename": ""}, "filename is empty", id="no filename"),
        pytest.param({"filename": "../secret.pdf"}, "inside the import folder", id="climbing out"),
        pytest.param(
            {"filename": "2019/../../secret.pdf"}, "inside the import folder", id="climbing deeper"
        ),
        pytest.param({"filename": "/etc/passwd.txt"}, "inside the import folder", id="absolute"),
        pytest.param({"filename": "2019\\letter.pdf"}, "backslash", id="a Windows path"),
        pytest.param({"filename": "virus.exe"}, "file type 'exe'", id="a type not allowed"),
        pytest.param({"filename": "README"}, "file type '(none)'", id="no file type"),
        pytest.param({"filename": f"{'a' * 252}.pdf"}, "longer than 255", id="a name too long"),
        pytest.param(
            {"payment_ref": "", "tenancy_ref": ""}, "give a payment_ref or", id="no reference"
        ),
        pytest.param({"payment_ref": "12345"}, "not 10 digits", id="a short payment ref"),
        pytest.param({"payment_ref": "12345678AB"}, "not 10 digits", id="letters in it"),
        pytest.param({"tenancy_ref": "0123456-01"}, "tenancy_ref '0123456-01'", id="a bad tenancy"),
        pytest.param({"date": ""}, "date is empty", id="no date"),
        pytest.param({"date": "31/02/2019"}, "is not a date", id="no 31 February"),
        pytest.param({"date": "2019-13-01"}, "is not a date", id="month 13"),
        pytest.param({"date": "03/02/19"}, "is not a date", id="a two-digit year"),
        pytest.param({"date": "2026-08-15"}, "in the future", id="tomorrow"),
        pytest.param({"date": "0219-03-02"}, "before 1900", id="a mistyped year"),
        pytest.param({"type": " "}, "type is empty", id="no type"),
        pytest.param({"type": "x" * 201}, "longer than 200", id="a type too long"),
    ],
)
def test_a_row_breaking_a_rule_says_which(changes: dict[str, str], reason: str) -> None:
    with pytest.raises(InvalidLegacyRow) as invalid:
        parse_row(9, _row(**changes), today=TODAY)

    assert invalid.value.line == 9
    assert any(reason in r for r in invalid.value.reasons), invalid.value.reasons


def test_every_reason_a_row_is_bad_is_given_at_once() -> None:
    with pytest.raises(InvalidLegacyRow) as invalid:
        parse_row(3, _row(filename="x.exe", payment_ref="1", date="tomorrow"), today=TODAY)

    assert len(invalid.value.reasons) == 3


@pytest.mark.parametrize(
    ("size", "problem"),
    [
        pytest.param(0, "the file is empty", id="empty"),
        pytest.param(1, None, id="one byte"),
        pytest.param(20 * 1024 * 1024, None, id="exactly 20 MB"),
        pytest.param(20 * 1024 * 1024 + 1, "larger than 20 MB", id="over 20 MB"),
    ],
)
def test_files_up_to_20_mb_are_accepted(size: int, problem: str | None) -> None:
    found = size_problem(size)

    assert found == problem or (problem is not None and found is not None and problem in found)


def test_the_same_file_about_the_same_references_has_the_same_import_key() -> None:
    document = parse_row(2, _row(), today=TODAY)
    same_on_another_line = parse_row(40, _row(description="different words"), today=TODAY)
    other_tenancy = parse_row(2, _row(tenancy_ref="0999999/01"), today=TODAY)

    key = import_key(document, b"content")

    assert import_key(same_on_another_line, b"content") == key
    assert import_key(document, b"changed content") != key
    assert import_key(other_tenancy, b"content") != key
    assert len(key) == 64


def test_the_csv_needs_every_column_but_description() -> None:
    assert missing_columns(["Filename", "payment_ref", "tenancy_ref", "date", "type"]) == []
    assert missing_columns(["filename", "date", "description"]) == [
        "payment_ref",
        "tenancy_ref",
        "type",
    ]
