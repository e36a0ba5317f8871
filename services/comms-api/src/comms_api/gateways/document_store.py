"""Where document files live: S3 through boto3 (moto's server locally, or AWS), or a folder.
The database holds what caseworkers search by; the store holds only the bytes, by key."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

import boto3
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError

if TYPE_CHECKING:
    from comms_api.settings import Settings


class DocumentMissing(Exception):
    """The store has no file under this key."""


class DocumentStoreUnavailable(Exception):
    """The store cannot be reached now (S3 down): try again later."""


class DocumentStore(Protocol):
    def put(self, key: str, content: bytes, content_type: str) -> None: ...

    def get(self, key: str) -> bytes: ...


class FolderDocumentStore:
    """Files under a local folder, the key as the relative path."""

    def __init__(self, root: Path) -> None:
        self._root = root

    def _path(self, key: str) -> Path:
        path = (self._root / key).resolve()
        if not path.is_relative_to(self._root.resolve()):
            raise ValueError(f"document key outside the store: {key!r}")
        return path

    def put(self, key: str, content: bytes, content_type: str) -> None:
        path = self._path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_name(path.name + ".partial")
        partial.write_bytes(content)
        partial.replace(path)  # never a half-written file under the real name

    def get(self, key: str) -> bytes:
        try:
            return self._path(key).read_bytes()
        except FileNotFoundError as error:
            raise DocumentMissing(key) from error


# "There is no such object": S3 says NoSuchKey; some S3-compatible stores say 404.
_MISSING_CODES = frozenset({"NoSuchKey", "404", "NotFound"})
# Creating a bucket that is already there, made by us or by another process at the same time.
_BUCKET_EXISTS_CODES = frozenset({"BucketAlreadyOwnedByYou", "BucketAlreadyExists"})


class S3DocumentStore:
    """Objects in one S3 bucket, the key as the object key. Any failure to reach S3, or a
    refusal other than "no such object" (no bucket, no permission), is
    `DocumentStoreUnavailable`: the caller can only try again later."""

    def __init__(
        self,
        *,
        bucket: str,
        region: str,
        endpoint_url: str | None,
        create_bucket: bool,
        access_key_id: str | None = None,
        secret_access_key: str | None = None,
    ) -> None:
        self._bucket = bucket
        self._region = region
        self._client: Any = boto3.client(
            "s3",
            region_name=region,
            endpoint_url=endpoint_url or None,
            aws_access_key_id=access_key_id,
            aws_secret_access_key=secret_access_key,
            # Fail fast: a caseworker is waiting for the download.
            config=Config(connect_timeout=3, read_timeout=20, retries={"max_attempts": 2}),
        )
        self._bucket_ready = not create_bucket
        self._lock = threading.Lock()

    def _ensure_bucket(self) -> None:
        with self._lock:
            if self._bucket_ready:
                return
            # Local stand-in only: in AWS the bucket is infrastructure, not ours.
            # us-east-1 is S3's default location and refuses to be named as one.
            location = (
                {}
                if self._region == "us-east-1"
                else {"CreateBucketConfiguration": {"LocationConstraint": self._region}}
            )
            try:
                self._client.create_bucket(Bucket=self._bucket, **location)
            except ClientError as error:
                if error.response.get("Error", {}).get("Code") not in _BUCKET_EXISTS_CODES:
                    raise
            self._bucket_ready = True

    def put(self, key: str, content: bytes, content_type: str) -> None:
        try:
            self._ensure_bucket()
            self._client.put_object(
                Bucket=self._bucket, Key=key, Body=content, ContentType=content_type
            )
        except (BotoCoreError, ClientError) as error:
            raise DocumentStoreUnavailable(
                f"S3 refused or could not be reached: {error}"
            ) from error

    def get(self, key: str) -> bytes:
        try:
            self._ensure_bucket()
            content: bytes = self._client.get_object(Bucket=self._bucket, Key=key)["Body"].read()
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") in _MISSING_CODES:
                raise DocumentMissing(key) from error
            raise DocumentStoreUnavailable(f"S3 refused: {error}") from error
        except BotoCoreError as error:
            raise DocumentStoreUnavailable(f"S3 could not be reached: {error}") from error
        return content


def make_document_store(settings: Settings) -> DocumentStore:
    if settings.document_store == "s3":
        endpoint = settings.s3_endpoint_url or None
        return S3DocumentStore(
            bucket=settings.documents_bucket,
            region=settings.aws_region,
            endpoint_url=endpoint,
            create_bucket=settings.s3_create_bucket,
            access_key_id=settings.s3_access_key_id if endpoint else None,
            secret_access_key=(
                settings.s3_secret_access_key.get_secret_value() if endpoint else None
            ),
        )
    return FolderDocumentStore(settings.documents_folder)
