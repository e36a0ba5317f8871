"""A letter before action cannot go through Notify: a caseworker downloads it to print and post
by hand. That first download to post marks it downloaded and writes SLB to the tenancy's UH
action diary, through the real uh-gateway, exactly once; looking at it changes nothing."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from comms_api.use_cases.messages import write_diary_entries

Diary = Callable[[str], list[dict[str, Any]]]


@pytest.fixture
def lba(make_document: Callable[..., str], tenancy_ref: str) -> str:
    return make_document(
        tenancy_ref=tenancy_ref,
        payment_ref="2222222222",
        template_id="letter_before_action",
        template_name="Letter before action",
        status="to_download",
    )


def _slb_entries(diary: Diary, tenancy_ref: str) -> list[dict[str, Any]]:
    return [e for e in diary(tenancy_ref) if e["action_code"] == "SLB"]


def test_downloading_it_to_post_marks_it_downloaded_and_writes_slb_once(
    app: FastAPI,
    client: TestClient,
    caseworker: dict[str, str],
    lba: str,
    tenancy_ref: str,
    uh_diary: Diary,
) -> None:
    url = f"/api/v1/documents/{lba}/content"

    first = client.get(url, params={"purpose": "post"}, headers=caseworker)
    write_diary_entries(app.state.engine, app.state.uh_gateway)
    again = client.get(url, params={"purpose": "post"}, headers=caseworker)
    write_diary_entries(app.state.engine, app.state.uh_gateway)

    assert first.status_code == again.status_code == 200
    assert first.content.startswith(b"%PDF")
    document = client.get(f"/api/v1/documents/{lba}", headers=caseworker).json()
    assert document["status"] == "downloaded"
    entries = _slb_entries(uh_diary, tenancy_ref)
    assert len(entries) == 1
    assert entries[0]["comment"] == (
        f"Letter before action downloaded to post by hand (document {lba})"
    )
    assert entries[0]["username"] == "Rita Rent"


def test_looking_at_it_changes_nothing(
    app: FastAPI,
    client: TestClient,
    caseworker: dict[str, str],
    read_only: dict[str, str],
    lba: str,
    tenancy_ref: str,
    uh_diary: Diary,
) -> None:
    viewed = client.get(f"/api/v1/documents/{lba}/content", headers=caseworker)
    viewed_inline = client.get(
        f"/api/v1/documents/{lba}/content",
        params={"purpose": "view", "inline": True},
        headers=read_only,
    )
    write_diary_entries(app.state.engine, app.state.uh_gateway)

    assert viewed.status_code == viewed_inline.status_code == 200
    document = client.get(f"/api/v1/documents/{lba}", headers=caseworker).json()
    assert document["status"] == "to_download"
    assert _slb_entries(uh_diary, tenancy_ref) == []


def test_a_read_only_client_cannot_download_it_to_post(
    app: FastAPI,
    client: TestClient,
    read_only: dict[str, str],
    caseworker: dict[str, str],
    lba: str,
) -> None:
    response = client.get(
        f"/api/v1/documents/{lba}/content", params={"purpose": "post"}, headers=read_only
    )

    assert response.status_code == 403
    assert response.json()["error"]["code"] == "forbidden"
    document = client.get(f"/api/v1/documents/{lba}", headers=caseworker).json()
    assert document["status"] == "to_download"


def test_its_message_says_it_was_downloaded_too(
    client: TestClient,
    caseworker: dict[str, str],
    lba: str,
    make_letter_message: Callable[..., str],
    tenancy_ref: str,
) -> None:
    message_id = make_letter_message(document_id=lba, status="to_download", tenancy_ref=tenancy_ref)

    client.get(f"/api/v1/documents/{lba}/content", params={"purpose": "post"}, headers=caseworker)

    message = client.get(f"/api/v1/messages/{message_id}", headers=caseworker).json()
    assert message["status"] == "downloaded"


def test_downloading_another_letter_to_post_changes_nothing(
    app: FastAPI,
    client: TestClient,
    caseworker: dict[str, str],
    make_document: Callable[..., str],
    tenancy_ref: str,
    uh_diary: Diary,
) -> None:
    sent = make_document(tenancy_ref=tenancy_ref, status="sent")

    response = client.get(
        f"/api/v1/documents/{sent}/content", params={"purpose": "post"}, headers=caseworker
    )
    write_diary_entries(app.state.engine, app.state.uh_gateway)

    assert response.status_code == 200
    assert client.get(f"/api/v1/documents/{sent}", headers=caseworker).json()["status"] == "sent"
    assert _slb_entries(uh_diary, tenancy_ref) == []
