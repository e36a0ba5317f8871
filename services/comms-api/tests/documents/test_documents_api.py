"""The Documents page's API: find letters and legacy documents, download them, mark a failed
letter reviewed; errors in the shared body."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import httpx2
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select

from comms_api.gateways.document_store import S3DocumentStore
from comms_api.gateways.tables import comms_events
from ma_shared.testing import refused_port

DAY = dt.timedelta(days=1)
PDF = b"%PDF-1.7\n% a letter for Zo\xc3\xab\n%%EOF\n"
# The builders in conftest.py: keyword arguments are columns; they return the new id.
DocumentBuilder = Callable[..., str]
MessageBuilder = Callable[..., str]


def _error(response: httpx2.Response, status_code: int, code: str) -> dict[str, Any]:
    assert response.status_code == status_code, response.text
    body: dict[str, Any] = response.json()
    assert body["error"]["code"] == code
    assert body["correlation_id"]
    return body


def test_documents_are_listed_most_recently_written_first_a_page_at_a_time(
    client: TestClient, read_only: dict[str, str], make_document: DocumentBuilder
) -> None:
    today = dt.datetime.now(tz=dt.UTC).date()
    oldest = make_document(document_date=today - 2 * DAY)
    newest = make_document(document_date=today)
    middle = make_document(kind="legacy", status="imported", document_date=today - DAY)

    first = client.get("/api/v1/documents", params={"per_page": 2}, headers=read_only)
    second = client.get("/api/v1/documents", params={"per_page": 2, "page": 2}, headers=read_only)

    assert first.status_code == 200, first.text
    page = first.json()
    assert [d["id"] for d in page["results"]] == [newest, middle]
    assert (page["page"], page["per_page"], page["total_count"], page["number_of_pages"]) == (
        1,
        2,
        3,
        2,
    )
    assert [d["id"] for d in second.json()["results"]] == [oldest]
    shown = page["results"][0]
    assert shown["template_name"] == "Income collection letter 1"
    assert shown["created_by"] == "Rita Rent"
    assert shown["content_url"] == f"/api/v1/documents/{newest}/content"


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        pytest.param({"payment_ref": "1111111111"}, {"rent letter"}, id="by payment reference"),
        pytest.param({"tenancy_ref": "0222222/01"}, {"leasehold LBA"}, id="by tenancy"),
        pytest.param({"status": "failed"}, {"failed letter"}, id="by status"),
        pytest.param({"template_id": "letter_before_action"}, {"leasehold LBA"}, id="by template"),
        pytest.param({"kind": "legacy"}, {"legacy"}, id="only legacy documents"),
        pytest.param({"kind": "letter", "status": "sent"}, {"rent letter"}, id="filters combine"),
        pytest.param(
            {"status": "", "payment_ref": ""},
            {"rent letter", "leasehold LBA", "failed letter", "legacy"},
            id="a filter left blank is no filter",
        ),
    ],
)
def test_documents_can_be_found_by_reference_status_template_and_kind(
    client: TestClient,
    caseworker: dict[str, str],
    make_document: DocumentBuilder,
    filters: dict[str, str],
    expected: set[str],
) -> None:
    names = {
        make_document(payment_ref="1111111111", tenancy_ref="0111111/01"): "rent letter",
        make_document(
            payment_ref="2222222222",
            tenancy_ref="0222222/01",
            template_id="letter_before_action",
            template_name="Letter before action",
            status="to_download",
        ): "leasehold LBA",
        make_document(payment_ref="3333333333", status="failed"): "failed letter",
        make_document(
            kind="legacy",
            status="imported",
            template_id=None,
            template_name="Notice seeking possession",
            payment_ref="4444444444",
        ): "legacy",
    }

    response = client.get("/api/v1/documents", params=filters, headers=caseworker)

    assert response.status_code == 200, response.text
    assert {names[d["id"]] for d in response.json()["results"]} == expected
    assert response.json()["total_count"] == len(expected)


@pytest.mark.parametrize(
    ("params", "field"),
    [
        pytest.param({"status": "lost"}, "status", id="an unknown status"),
        pytest.param({"kind": "memo"}, "kind", id="an unknown kind"),
        pytest.param({"tenancy_ref": "12/3"}, "tenancy_ref", id="a malformed tenancy ref"),
        pytest.param({"per_page": "101"}, "per_page", id="more than 100 a page"),
        pytest.param({"page": "0"}, "page", id="page 0"),
    ],
)
def test_a_bad_filter_is_a_422_naming_it(
    client: TestClient, caseworker: dict[str, str], params: dict[str, str], field: str
) -> None:
    response = client.get("/api/v1/documents", params=params, headers=caseworker)

    body = _error(response, 422, "validation_failed")
    assert [d["field"] for d in body["error"]["details"]] == [field]


def test_one_document_and_an_unknown_one(
    client: TestClient, read_only: dict[str, str], make_document: DocumentBuilder
) -> None:
    document_id = make_document(description="Sent after the visit")

    found = client.get(f"/api/v1/documents/{document_id}", headers=read_only)
    unknown = client.get("/api/v1/documents/no-such-document", headers=read_only)

    assert found.status_code == 200
    assert (found.json()["id"], found.json()["description"]) == (
        document_id,
        "Sent after the visit",
    )
    assert "no-such-document" in _error(unknown, 404, "not_found")["error"]["message"]
    _error(
        client.get("/api/v1/documents/no-such-document/content", headers=read_only),
        404,
        "not_found",
    )


def test_a_document_downloads_as_an_attachment_or_inline(
    client: TestClient, read_only: dict[str, str], make_document: DocumentBuilder
) -> None:
    document_id = make_document(filename="Letter for Zoë.pdf", content=PDF)

    saved = client.get(f"/api/v1/documents/{document_id}/content", headers=read_only)
    shown = client.get(
        f"/api/v1/documents/{document_id}/content", params={"inline": True}, headers=read_only
    )

    assert saved.status_code == 200
    assert saved.content == PDF
    assert saved.headers["content-type"] == "application/pdf"
    assert saved.headers["content-disposition"] == (
        "attachment; filename=\"Letter for Zo_.pdf\"; filename*=UTF-8''Letter%20for%20Zo%C3%AB.pdf"
    )
    assert shown.headers["content-disposition"].startswith('inline; filename="Letter for Zo_.pdf"')
    assert shown.content == PDF


def test_a_document_whose_file_is_gone_is_a_404_not_a_crash(
    app: FastAPI,
    client: TestClient,
    read_only: dict[str, str],
    make_document: DocumentBuilder,
) -> None:
    document_id = make_document()
    (app.state.settings.documents_folder / f"letters/{document_id}.pdf").unlink()

    response = client.get(f"/api/v1/documents/{document_id}/content", headers=read_only)

    _error(response, 404, "document_file_missing")


def test_while_the_store_is_unreachable_a_download_is_a_503(
    app: FastAPI,
    client: TestClient,
    read_only: dict[str, str],
    make_document: DocumentBuilder,
) -> None:
    document_id = make_document()
    with refused_port() as port:
        app.state.documents = S3DocumentStore(
            bucket="ma-documents",
            region="eu-west-2",
            endpoint_url=f"http://127.0.0.1:{port}",
            create_bucket=False,
            access_key_id="local",
            secret_access_key="local",
        )

        response = client.get(f"/api/v1/documents/{document_id}/content", headers=read_only)

    _error(response, 503, "upstream_unavailable")


def test_a_failed_letter_marked_reviewed_records_who_and_tells_income_api(
    app: FastAPI,
    client: TestClient,
    caseworker: dict[str, str],
    make_document: DocumentBuilder,
    make_letter_message: MessageBuilder,
) -> None:
    document_id = make_document(status="failed")
    message_id = make_letter_message(document_id=document_id, status="failed")

    response = client.post(f"/api/v1/documents/{document_id}/failure-review", headers=caseworker)

    assert response.status_code == 200, response.text
    reviewed = response.json()
    assert (reviewed["status"], reviewed["failure_reviewed_by"]) == (
        "failure_reviewed",
        "Rita Rent",
    )
    assert reviewed["failure_reviewed_at"] is not None
    listed = client.get(
        "/api/v1/documents", params={"status": "failure_reviewed"}, headers=caseworker
    )
    assert [d["id"] for d in listed.json()["results"]] == [document_id]
    with app.state.engine.connect() as conn:
        events = conn.execute(
            select(comms_events).where(comms_events.c.event_type == "comms.letter_failure_reviewed")
        ).all()
    assert len(events) == 1
    assert events[0].entity_id == message_id
    event_data = events[0].envelope["event_data"]
    assert event_data["status"] == "failure_reviewed"
    assert (event_data["message_id"], event_data["document_id"]) == (message_id, document_id)
    assert event_data["tenancy_ref"] == "0123456/01"


@pytest.mark.parametrize(
    "status", ["sent", "delivered", "to_download", "imported"], ids=lambda s: f"a {s} document"
)
def test_only_a_failed_letter_can_be_marked_reviewed(
    client: TestClient, caseworker: dict[str, str], make_document: DocumentBuilder, status: str
) -> None:
    document_id = make_document(status=status)

    response = client.post(f"/api/v1/documents/{document_id}/failure-review", headers=caseworker)

    body = _error(response, 409, "document_not_failed")
    assert status in body["error"]["message"]
    unchanged = client.get(f"/api/v1/documents/{document_id}", headers=caseworker).json()
    assert unchanged["status"] == status


def test_a_failure_is_reviewed_once_and_an_unknown_document_is_a_404(
    app: FastAPI,
    client: TestClient,
    caseworker: dict[str, str],
    make_document: DocumentBuilder,
    make_letter_message: MessageBuilder,
) -> None:
    document_id = make_document(status="failed")
    make_letter_message(document_id=document_id, status="failed")

    first = client.post(f"/api/v1/documents/{document_id}/failure-review", headers=caseworker)
    again = client.post(f"/api/v1/documents/{document_id}/failure-review", headers=caseworker)
    unknown = client.post("/api/v1/documents/nothing/failure-review", headers=caseworker)

    assert first.status_code == 200
    _error(again, 409, "document_not_failed")
    _error(unknown, 404, "not_found")
    with app.state.engine.connect() as conn:
        assert len(conn.execute(select(comms_events.c.id)).all()) == 1


def test_a_read_only_client_can_read_and_download_but_not_review(
    client: TestClient, read_only: dict[str, str], make_document: DocumentBuilder
) -> None:
    document_id = make_document(status="failed")

    response = client.post(f"/api/v1/documents/{document_id}/failure-review", headers=read_only)

    _error(response, 403, "forbidden")
    assert client.get(f"/api/v1/documents/{document_id}", headers=read_only).json()["status"] == (
        "failed"
    )
