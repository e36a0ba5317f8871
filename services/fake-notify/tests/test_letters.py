"""Letters: templated ones with their address rules in Notify's order, and precompiled PDFs."""

from __future__ import annotations

import base64
import io
from collections.abc import Callable

import pytest
from notifications_python_client.notifications import NotificationsAPIClient
from pypdf import PdfReader, PdfWriter

from fake_notify.config import CASEWORKER_LETTER_ID
from fake_notify.testing import (
    TRIAL_LETTER_ID,
    TRIAL_LIVE_KEY,
    TRIAL_TEST_KEY,
    WORLDWIDE_KEY,
    WORLDWIDE_LETTER_ID,
    FakeNotifyAdmin,
)

FORBIDDEN_CHARACTERS = (
    "Address lines must not start with any of the following characters: @ ( ) = [ ] ” \\ / , < >"
)
Fails = Callable[..., tuple[int, list[dict[str, str]]]]
ClientFor = Callable[[str], NotificationsAPIClient]
LETTER = str(CASEWORKER_LETTER_ID)


def address(*lines: str, **extra: str) -> dict[str, str]:
    return {f"address_line_{n}": line for n, line in enumerate(lines, start=1)} | extra


def personalisation(*lines: str) -> dict[str, str]:
    return address(*lines) | {"subject": "Your rent", "message": "Please pay."}


def pdf_with_pages(pages: int) -> bytes:
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_templated_letter_is_answered_and_its_pdf_is_real(
    live: NotificationsAPIClient, admin: FakeNotifyAdmin
) -> None:
    sent = live.send_letter_notification(
        LETTER, personalisation("Flat 1", "1 Hillman Street", "London", "e81dy"), reference="doc-1"
    )

    assert sent["content"] == {"body": "Please pay.", "subject": "Your rent"}
    read = live.get_notification_by_id(sent["id"])
    assert (read["line_1"], read["line_2"], read["line_3"], read["postcode"]) == (
        "Flat 1",
        "1 Hillman Street",
        "London",
        "E8 1DY",
    )
    assert read["type"] == "letter"
    assert read["status"] == "accepted"
    assert read["postage"] == "second"
    assert read["estimated_delivery"]
    pdf = live.get_pdf_for_letter(sent["id"]).read()
    assert len(PdfReader(io.BytesIO(pdf)).pages) == 1
    assert admin.sent()[0]["address_lines"] == ["Flat 1", "1 Hillman Street", "London", "E8 1DY"]


def test_legacy_postcode_key_is_the_last_line(live: NotificationsAPIClient) -> None:
    sent = live.send_letter_notification(
        LETTER,
        address("Flat 1", "1 Hillman Street", postcode="E8 1DY") | {"subject": "s", "message": "m"},
    )

    assert live.get_notification_by_id(sent["id"])["postcode"] == "E8 1DY"


@pytest.mark.parametrize(
    ("lines", "message"),
    [
        pytest.param(
            ("Flat 1", "E8 1DY"), "Address must be at least 3 lines", id="1 too few lines"
        ),
        pytest.param(
            ("Flat 1", "", "  ", "E8 1DY"),
            "Address must be at least 3 lines",
            id="1 blank lines dropped",
        ),
        pytest.param(
            ("a", "b", "c", "d", "e", "f", "g\nh"),
            "Address must be no more than 7 lines",
            id="2 too many lines",
        ),
        pytest.param(
            ("--", "1 Hillman Street", "E8 1DY"),
            "The first 2 lines of the address must both include at least one alphanumeric "
            "character",
            id="3 first lines need a letter or digit",
        ),
        pytest.param(
            ("Sgt Smith", "BFPO 123", "France"),
            "The last line of a BFPO address must not be a country.",
            id="4 BFPO ends in a country",
        ),
        pytest.param(
            ("Flat 1", "1 Hillman Street", "London"),
            "Must be a real UK postcode",
            id="5 no postcode",
        ),
        pytest.param(
            ("Flat 1", "1 Hillman Street", "QQ1 1AA"),
            "Must be a real UK postcode",
            id="5 unknown area",
        ),
        pytest.param(
            ("Flat 1", "1 Hillman Street", "E8 1CY"),
            "Must be a real UK postcode",
            id="5 bad inward letters",
        ),
        pytest.param(
            ("Flat 1", "=1 Hillman Street", "E8 1DY"),
            FORBIDDEN_CHARACTERS,
            id="6 forbidden first character",
        ),
        pytest.param(("NFA", "1 Hillman Street", "E8 1DY"), "Must be a real address", id="7 NFA"),
        pytest.param(
            ("Mr Smith", "No fixed abode", "E8 1DY"),
            "Must be a real address",
            id="7 no fixed abode",
        ),
        pytest.param(
            ("(Flat 1)", "NFA", "London"),
            "Must be a real UK postcode",
            id="order postcode before characters",
        ),
        pytest.param(
            ("(Flat 1)", "NFA", "E8 1DY"),
            FORBIDDEN_CHARACTERS,
            id="order characters before NFA",
        ),
    ],
)
def test_address_rules_in_order(
    live: NotificationsAPIClient, fails: Fails, lines: tuple[str, ...], message: str
) -> None:
    assert fails(live.send_letter_notification, LETTER, personalisation(*lines)) == (
        400,
        [{"error": "ValidationError", "message": message}],
    )


def test_service_that_posts_abroad(client_for: ClientFor, fails: Fails) -> None:
    worldwide = client_for(WORLDWIDE_KEY)
    sent = worldwide.send_letter_notification(
        str(WORLDWIDE_LETTER_ID), address("M Dupont", "1 Rue de Rivoli", "Paris", "France")
    )

    assert worldwide.get_notification_by_id(sent["id"])["postage"] == "europe"
    assert fails(
        worldwide.send_letter_notification, str(WORLDWIDE_LETTER_ID), address("A", "B", "Atlantis")
    ) == (
        400,
        [
            {
                "error": "ValidationError",
                "message": "Last line of address must be a real UK postcode or another country",
            }
        ],
    )


def test_letters_refused_for_team_keys_and_trial_mode(
    team: NotificationsAPIClient, client_for: ClientFor, fails: Fails
) -> None:
    assert fails(team.send_letter_notification, LETTER, personalisation("A", "B", "E8 1DY")) == (
        403,
        [{"error": "BadRequestError", "message": "Cannot send letters with a team api key"}],
    )
    assert fails(
        client_for(TRIAL_LIVE_KEY).send_letter_notification,
        str(TRIAL_LETTER_ID),
        address("A", "B", "E8 1DY"),
    ) == (
        403,
        [
            {
                "error": "BadRequestError",
                "message": "Cannot send letters when service is in trial mode",
            }
        ],
    )
    assert (
        fails(team.send_precompiled_letter_notification, "ref", io.BytesIO(pdf_with_pages(1)))[0]
        == 403
    )
    client_for(TRIAL_TEST_KEY).send_letter_notification(
        str(TRIAL_LETTER_ID), address("A", "B", "E8 1DY")
    )


def test_precompiled_letter_is_pending_then_accepted(
    live: NotificationsAPIClient, admin: FakeNotifyAdmin, fails: Fails
) -> None:
    pdf = pdf_with_pages(2)
    sent = live.send_precompiled_letter_notification("doc-2", io.BytesIO(pdf), postage="first")

    assert set(sent) == {"id", "reference", "postage"}
    assert (sent["reference"], sent["postage"]) == ("doc-2", "first")
    read = live.get_notification_by_id(sent["id"])
    assert (read["status"], read["line_1"]) == ("pending-virus-check", "Provided as PDF")
    assert fails(live.get_pdf_for_letter, sent["id"]) == (
        400,
        [{"error": "PDFNotReadyError", "message": "PDF not available yet, try again later"}],
    )
    assert admin.pdf(sent["id"]) == pdf

    admin.advance_time(1)

    assert live.get_notification_by_id(sent["id"])["status"] == "accepted"
    assert live.get_pdf_for_letter(sent["id"]).read() == pdf


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        pytest.param(b"hello, not a pdf", "not-a-pdf", id="not a PDF"),
        pytest.param(pdf_with_pages(11), "letter-too-long", id="11 pages"),
        pytest.param(b"%PDF-1.4 garbage", "unable-to-read-the-file", id="unreadable"),
        pytest.param(b"%PDF-" + b"0" * (2 * 1024 * 1024), "file-too-large", id="over 2 MB"),
    ],
)
def test_invalid_precompiled_letters_fail_validation_after_the_virus_check(
    live: NotificationsAPIClient, admin: FakeNotifyAdmin, content: bytes, reason: str
) -> None:
    sent = live.send_precompiled_letter_notification("doc-3", io.BytesIO(content))

    assert live.get_notification_by_id(sent["id"])["status"] == "pending-virus-check"
    admin.progress(sent["id"])
    read = live.get_notification_by_id(sent["id"])
    assert read["status"] == "validation-failed"
    assert read["completed_at"] is not None
    assert admin.notification(sent["id"])["validation_failure"] == reason


def test_ten_pages_is_the_most_allowed(
    live: NotificationsAPIClient, admin: FakeNotifyAdmin
) -> None:
    sent = live.send_precompiled_letter_notification("doc-4", io.BytesIO(pdf_with_pages(10)))
    admin.progress()

    assert live.get_notification_by_id(sent["id"])["status"] == "received"


def test_precompiled_content_not_base64(
    live: NotificationsAPIClient, base_url: str, fails: Fails
) -> None:
    assert fails(
        live.post, "/v2/notifications/letter", {"reference": "r", "content": "not base64!"}
    ) == (
        400,
        [
            {
                "error": "BadRequestError",
                "message": "Cannot decode letter content (invalid base64 encoding)",
            }
        ],
    )


def test_precompiled_schema(live: NotificationsAPIClient, fails: Fails) -> None:
    content = base64.b64encode(pdf_with_pages(1)).decode()

    status, errors = fails(
        live.post, "/v2/notifications/letter", {"content": content, "postage": "third"}
    )

    assert status == 400
    assert {e["message"] for e in errors} == {
        "reference is a required property",
        "postage third is not one of [first, second, economy]",
    }


def test_pdf_endpoint_refusals(
    live: NotificationsAPIClient, admin: FakeNotifyAdmin, fails: Fails
) -> None:
    sms = live.send_sms_notification(
        "07700900123", "c9a4e2f0-1b3d-4a5e-8f60-7a8b9c0d1e03", {"message": "x"}
    )
    letter = live.send_precompiled_letter_notification("doc-5", io.BytesIO(pdf_with_pages(1)))

    assert (
        fails(live.get_pdf_for_letter, sms["id"])[1][0]["message"] == "Notification is not a letter"
    )
    admin.force_status(letter["id"], "virus-scan-failed")
    assert (
        fails(live.get_pdf_for_letter, letter["id"])[1][0]["message"]
        == "File did not pass the virus scan"
    )
    admin.force_status(letter["id"], "technical-failure")
    assert fails(live.get_pdf_for_letter, letter["id"])[1][0]["message"] == (
        "PDF not available for letters in status technical-failure"
    )
