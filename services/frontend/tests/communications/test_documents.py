"""Documents: the letters sent and the old system's documents, found by reference, status,
letter and kind; downloaded through the app; a letter before action downloaded to post by
hand; a failed letter marked reviewed."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from comms_api.use_cases.legacy_documents import import_legacy_documents
from comms_api.use_cases.messages import track_deliveries
from fake_notify.testing import FakeNotifyAdmin
from frontend.testing import Page, read

SignIn = Callable[[str], TestClient]
WorktrayCases = Callable[[TestClient, str], list[str]]
PDF = b"%PDF-1.4\n% an old letter\n%%EOF\n"


def _send_letter(client: TestClient, cases: list[str], template_id: str) -> tuple[str, str]:
    """Send the letter to the first case whose UH data makes it; its case and where the
    send led (the case page confirming it)."""
    for case_ref in cases:
        form = read(
            client.get(f"/cases/{case_ref}/letters/new", params={"template_id": template_id})
        )
        action = f"/cases/{case_ref}/letters/preview"
        preview = read(client.post(action, data=form.form(action)))
        if preview.status_code == 200:
            sent = client.post(
                f"/cases/{case_ref}/letters", data=preview.form(f"/cases/{case_ref}/letters")
            )
            assert sent.status_code == 303
            return case_ref, sent.headers["location"]
    pytest.fail(f"no case on the worktray can be sent {template_id}")


def _documents(client: TestClient, **filters: str) -> Page:
    page = read(client.get("/documents", params=filters))
    assert page.status_code == 200, page.error_summary
    return page


def test_a_letter_sent_is_listed_downloaded_and_its_failure_marked_reviewed(
    signed_in: SignIn,
    worktray_cases: WorktrayCases,
    notify: FakeNotifyAdmin,
    comms_app: FastAPI,
) -> None:
    client = signed_in("rent")
    case_ref, _ = _send_letter(client, worktray_cases(client, ""), "income_collection_letter_1")
    case = read(client.get(f"/cases/{case_ref}"))
    letters_sent = case.links()["Letters sent"]
    assert letters_sent == f"/documents?tenancy_ref={case_ref.replace('/', '%2F')}"

    page = read(client.get(letters_sent))
    assert "Showing 1 to 1 of 1 document" in page.text
    (row,) = page.table("Documents found")
    assert row["Letter or document"] == "Income collection letter 1"
    assert row["Author"] == "Rita Rent"
    assert row["Status"] == "Sent to be printed"
    assert case_ref in row["Payment reference"]

    download = client.get(page.links()[next(k for k in page.links() if k.startswith("Download"))])
    assert download.status_code == 200
    assert download.headers["content-type"] == "application/pdf"
    assert download.headers["content-disposition"].startswith("attachment;")
    assert download.content.startswith(b"%PDF")

    # Notify rejects the letter once it has it: comms-api finds out at its next look.
    (letter,) = notify.sent(type="letter")
    notify.force_status(letter["id"], "validation-failed")
    track_deliveries(comms_app.state.engine, comms_app.state.notify)

    failed = _documents(client, tenancy_ref=case_ref, status="failed")
    assert failed.table("Documents found")[0]["Status"] == "Failed"
    review = f"/documents/{letter_document_id(failed)}/failure-review"
    reviewed = client.post(review, data=failed.form(review))
    assert reviewed.status_code == 303
    assert reviewed.headers["location"].startswith(
        f"/documents?tenancy_ref={case_ref.replace('/', '%2F')}&status=failed&page=1&reviewed="
    )
    after = read(client.get(reviewed.headers["location"]))
    banner = after.soup.select_one(".govuk-notification-banner")
    assert banner is not None
    assert "is marked reviewed" in banner.get_text(" ", strip=True)
    assert "No documents match." in after.text
    (row,) = _documents(client, tenancy_ref=case_ref).table("Documents found")
    assert row["Status"].startswith("Failure reviewed by Rita Rent")
    # A second click changes nothing and is no error.
    again = client.post(review, data=failed.form(review))
    assert again.status_code == 303


def letter_document_id(page: Page) -> str:
    form = page.soup.select_one('form[action$="/failure-review"]')
    assert form is not None, "no 'Mark failure reviewed' button"
    return str(form["action"]).split("/")[2]


def test_a_letter_before_action_is_stored_then_downloaded_to_post_by_hand(
    signed_in: SignIn, worktray_cases: WorktrayCases, notify: FakeNotifyAdmin
) -> None:
    client = signed_in("leasehold")
    case_ref, confirmed = _send_letter(client, worktray_cases(client, ""), "letter_before_action")
    banner = read(client.get(confirmed)).soup.select_one(".govuk-notification-banner")
    assert banner is not None
    assert "stored to download and post by hand" in banner.get_text(" ", strip=True)
    assert notify.sent(type="letter") == []

    page = _documents(client, tenancy_ref=case_ref, status="to_download")
    (row,) = page.table("Documents found")
    assert row["Status"] == "To download and post by hand"
    form = page.soup.select_one('form[action$="/download-to-post"]')
    assert form is not None
    assert "Download to post" in form.get_text(" ", strip=True)
    posted = client.post(str(form["action"]), data=page.form(str(form["action"])))
    assert posted.status_code == 200
    assert posted.headers["content-type"] == "application/pdf"
    assert posted.content.startswith(b"%PDF")

    (row,) = _documents(client, tenancy_ref=case_ref).table("Documents found")
    assert row["Status"] == "Downloaded to post by hand"


def test_legacy_documents_are_shown_beside_letters_and_found_by_kind(
    signed_in: SignIn, comms_app: FastAPI, tmp_path: Path
) -> None:
    (tmp_path / "old").mkdir()
    (tmp_path / "old" / "notice.pdf").write_bytes(PDF)
    report = import_legacy_documents(
        comms_app.state.engine,
        comms_app.state.documents,
        folder=tmp_path,
        rows=[
            (
                2,
                {
                    "filename": "old/notice.pdf",
                    "payment_ref": "1000000099",
                    "tenancy_ref": "",
                    "date": "2019-05-01",
                    "type": "Notice of seeking possession",
                    "description": "Served by hand",
                },
            )
        ],
        today=dt.date(2026, 1, 5),
    )
    assert report.imported == 1
    client = signed_in("rent")
    page = _documents(client, kind="legacy", payment_ref="1000000099")
    (row,) = page.table("Documents found")
    assert row["Letter or document"] == "Notice of seeking possession Old system Served by hand"
    assert row["Author"] == "legacy import"
    assert row["Status"] == "From the old system"
    assert row["Dated"] == "1 May 2019"
    download = client.get(page.links()[next(k for k in page.links() if k.startswith("Download"))])
    assert download.content == PDF
    assert 'filename="notice.pdf"' in download.headers["content-disposition"]
    assert page.soup.select('form[action$="/failure-review"]') == []


def test_a_filter_that_is_not_a_reference_is_an_error_on_the_form(signed_in: SignIn) -> None:
    page = read(signed_in("rent").get("/documents", params={"tenancy_ref": "12/3"}))
    assert page.status_code == 400
    assert page.error_summary == ["Enter a tenancy reference like 012345/01"]
    assert page.form("/documents")["tenancy_ref"] == "12/3"


def test_an_unknown_document_is_not_found(signed_in: SignIn) -> None:
    client = signed_in("rent")
    missing = client.get("/documents/0b4f1c7e-0000-4000-8000-000000000000/download")
    assert read(missing).status_code == 404
    assert client.get("/documents/not-an-id/download").status_code == 404
