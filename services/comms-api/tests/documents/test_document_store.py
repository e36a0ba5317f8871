"""Both document stores keep exactly the bytes given: S3 on moto's real server (as `make run`
has it), and a folder. A missing file and an unreachable store are told apart."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import boto3
import pytest

from comms_api.gateways.document_store import (
    DocumentMissing,
    DocumentStore,
    DocumentStoreUnavailable,
    FolderDocumentStore,
    S3DocumentStore,
    make_document_store,
)
from comms_api.settings import Settings
from ma_shared.testing import local_aws_server, refused_port

PDF = b"%PDF-1.7\n" + bytes(range(256)) * 64


@pytest.fixture(scope="module")
def aws_endpoint() -> Iterator[str]:
    with local_aws_server() as endpoint:
        yield endpoint


def _s3_store(endpoint: str, bucket: str, *, create_bucket: bool = True) -> S3DocumentStore:
    return S3DocumentStore(
        bucket=bucket,
        region="eu-west-2",
        endpoint_url=endpoint,
        create_bucket=create_bucket,
        access_key_id="local",
        secret_access_key="local",
    )


@pytest.fixture(params=["s3", "folder"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> DocumentStore:
    if request.param == "folder":
        return FolderDocumentStore(tmp_path / "documents")
    endpoint: str = request.getfixturevalue("aws_endpoint")
    return _s3_store(endpoint, f"documents-{uuid.uuid4().hex[:12]}")


def test_a_file_put_is_got_back_byte_for_byte(store: DocumentStore) -> None:
    store.put("letters/2026/08/letter.pdf", PDF, "application/pdf")
    store.put("legacy/note.txt", "Tenant called ✓".encode(), "text/plain")

    assert store.get("letters/2026/08/letter.pdf") == PDF
    assert store.get("legacy/note.txt").decode() == "Tenant called ✓"


def test_putting_under_the_same_key_replaces_the_file(store: DocumentStore) -> None:
    store.put("letters/letter.pdf", b"first", "application/pdf")
    store.put("letters/letter.pdf", PDF, "application/pdf")

    assert store.get("letters/letter.pdf") == PDF


def test_a_key_never_stored_is_missing(store: DocumentStore) -> None:
    store.put("letters/other.pdf", PDF, "application/pdf")

    with pytest.raises(DocumentMissing):
        store.get("letters/never-stored.pdf")


def test_the_s3_store_creates_its_bucket_and_keeps_the_media_type(aws_endpoint: str) -> None:
    bucket = f"documents-{uuid.uuid4().hex[:12]}"

    _s3_store(aws_endpoint, bucket).put("letters/letter.pdf", PDF, "application/pdf")

    s3 = boto3.client(
        "s3",
        region_name="eu-west-2",
        endpoint_url=aws_endpoint,
        aws_access_key_id="local",
        aws_secret_access_key="local",
    )
    stored = s3.get_object(Bucket=bucket, Key="letters/letter.pdf")
    assert stored["ContentType"] == "application/pdf"
    assert stored["Body"].read() == PDF


def test_without_leave_to_create_it_a_missing_bucket_makes_the_store_unavailable(
    aws_endpoint: str,
) -> None:
    store = _s3_store(aws_endpoint, f"absent-{uuid.uuid4().hex[:12]}", create_bucket=False)

    with pytest.raises(DocumentStoreUnavailable):
        store.put("letters/letter.pdf", PDF, "application/pdf")
    with pytest.raises(DocumentStoreUnavailable):
        store.get("letters/letter.pdf")


def test_an_unreachable_s3_is_unavailable_not_missing() -> None:
    with refused_port() as port:
        store = _s3_store(f"http://127.0.0.1:{port}", "ma-documents")

        with pytest.raises(DocumentStoreUnavailable):
            store.put("letters/letter.pdf", PDF, "application/pdf")
        with pytest.raises(DocumentStoreUnavailable):
            store.get("letters/letter.pdf")


def test_the_settings_choose_the_store(aws_endpoint: str, tmp_path: Path) -> None:
    bucket = f"documents-{uuid.uuid4().hex[:12]}"
    s3 = make_document_store(
        Settings(document_store="s3", s3_endpoint_url=aws_endpoint, documents_bucket=bucket)
    )
    folder = make_document_store(
        Settings(document_store="folder", documents_folder=tmp_path / "documents")
    )

    s3.put("letters/letter.pdf", PDF, "application/pdf")
    folder.put("letters/letter.pdf", b"folder", "application/pdf")

    assert isinstance(s3, S3DocumentStore)
    assert s3.get("letters/letter.pdf") == PDF
    assert (tmp_path / "documents/letters/letter.pdf").read_bytes() == b"folder"
