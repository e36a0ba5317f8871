"""comms-api (docs/comms-api.md): Notify's templates, texts, emails, letters, bulk letters and
documents. One method per upstream route; the models hold what the pages use (other fields are
ignored, so comms-api can add fields without breaking a page)."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator, Mapping
from dataclasses import dataclass

import httpx
from pydantic import BaseModel, ConfigDict, Field

from frontend.domain.messages import Channel
from frontend.gateways.api_client import ApiClient
from ma_shared.auth import User
from ma_shared.http_client import IDEMPOTENCY_HEADER
from ma_shared.personalisation import placeholders
from ma_shared.vocabulary import ServiceArea


class Model(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)


class NotifyTemplate(Model):
    id: str
    type: Channel
    name: str
    subject: str | None = None
    body: str

    @property
    def placeholders(self) -> list[str]:
        return placeholders(self.subject, self.body)


class Message(Model):
    """A text, an email or a letter, and how far it has gone."""

    id: str
    channel: str
    tenancy_ref: str | None = None
    template_id: str
    template_name: str
    recipient: str
    # A text's or an email's words (a letter's HTML: never shown as it is).
    body: str = ""
    status: str
    notify_status: str | None = None
    error: str | None = None
    sent_by: str
    created_at: dt.datetime
    sent_at: dt.datetime | None = None
    completed_at: dt.datetime | None = None
    payment_ref: str | None = None
    document_id: str | None = None


class LetterTemplate(Model):
    id: str
    name: str
    service_area: ServiceArea
    # None: the letter cannot go through Notify (a letter before action, posted by hand).
    diary_code: str | None = None
    required_fields: list[str]
    optional_fields: list[str] = Field(default_factory=list)
    field_kinds: dict[str, str] = Field(default_factory=dict)

    @property
    def posted_by_hand(self) -> bool:
        return self.diary_code is None


class PageImage(Model):
    number: int
    png_base64: str
    width_px: int
    height_px: int


class LetterPreview(Model):
    """A letter as it will be posted: an image of each page of its PDF."""

    template_id: str
    template_name: str
    page_count: int
    pages: list[PageImage]


class RowProblem(Model):
    field: str | None = None
    code: str
    message: str


class BatchRow(Model):
    position: int
    payment_ref: str
    tenancy_ref: str | None = None
    status: str
    problems: list[RowProblem] = Field(default_factory=list)
    message_id: str | None = None
    message_status: str | None = None
    message_error: str | None = None


class LetterBatch(Model):
    id: str
    template_id: str
    template_name: str
    service_area: ServiceArea
    row_count: int
    valid_count: int
    created_by: str
    created_at: dt.datetime
    send_requested_by: str | None = None
    send_requested_at: dt.datetime | None = None
    rows: list[BatchRow]


class Document(Model):
    id: str
    kind: str
    status: str
    payment_ref: str | None = None
    tenancy_ref: str | None = None
    template_id: str | None = None
    template_name: str
    description: str | None = None
    filename: str
    size_bytes: int
    created_by: str
    document_date: dt.date
    failure_reviewed_by: str | None = None
    failure_reviewed_at: dt.datetime | None = None
    created_at: dt.datetime
    updated_at: dt.datetime


class DocumentPage(Model):
    results: list[Document]
    page: int
    per_page: int
    total_count: int
    number_of_pages: int


@dataclass(frozen=True)
class Download:
    """A document's file, read from comms-api a piece at a time as it is passed on."""

    headers: dict[str, str]
    chunks: AsyncIterator[bytes]


# Headers of a document's file worth passing on to the browser.
DOWNLOAD_HEADERS = ("content-type", "content-disposition", "content-length")


async def _chunks(response: httpx.Response) -> AsyncIterator[bytes]:
    try:
        async for chunk in response.aiter_bytes():
            yield chunk
    finally:
        await response.aclose()


def _is_message(response: httpx.Response) -> bool:
    """comms-api answers a message Notify refused at once with 422 and the message itself
    (its `error` says why), not an error body."""
    try:
        body = response.json()
    except ValueError:
        return False
    return isinstance(body, dict) and "error" not in body and "status" in body


class MessagesOnDay(Model):
    date: dt.date
    channel: str
    sent: int
    failed: int


class MessagesByDay(Model):
    from_date: dt.date
    to_date: dt.date
    results: list[MessagesOnDay]


class CommsApi(ApiClient):
    async def templates(self, user: User, channel: Channel) -> list[NotifyTemplate]:
        body = await self.get("/api/v1/templates", user=user, params={"type": channel})
        return [self.read(NotifyTemplate, item) for item in body]

    async def send_message(
        self,
        user: User,
        channel: Channel,
        *,
        template_id: str,
        recipient: str,
        personalisation: Mapping[str, str],
        tenancy_ref: str,
        idempotency_key: str,
    ) -> Message:
        """A text or an email, sent once per key. A message Notify refused comes back
        `failed`; a refusal before it was made (a bad number) raises `InvalidInput`."""
        recipient_field = "phone_number" if channel == "sms" else "email_address"
        response = await self.respond(
            "POST",
            f"/api/v1/messages/{channel}",
            user=user,
            json={
                "template_id": template_id,
                recipient_field: recipient,
                "personalisation": dict(personalisation),
                "tenancy_ref": tenancy_ref,
            },
            headers={IDEMPOTENCY_HEADER: idempotency_key},
        )
        return self._message(response)

    def _message(self, response: httpx.Response) -> Message:
        if response.status_code < 300 or (response.status_code == 422 and _is_message(response)):
            return self.read(Message, response.json())
        raise self.problem(response)

    async def message(self, user: User, message_id: str) -> Message:
        return await self.get_model(Message, f"/api/v1/messages/{message_id}", user=user)

    async def letter_templates(self, user: User) -> list[LetterTemplate]:
        body = await self.get("/api/v1/letters/templates", user=user)
        return [self.read(LetterTemplate, item) for item in body]

    async def preview_letter(
        self, user: User, *, template_id: str, tenancy_ref: str, fields: Mapping[str, str]
    ) -> LetterPreview:
        body = await self.send(
            "POST",
            "/api/v1/letters/preview",
            user=user,
            json={"template_id": template_id, "tenancy_ref": tenancy_ref, "fields": dict(fields)},
        )
        return self.read(LetterPreview, body)

    async def send_letter(
        self,
        user: User,
        *,
        template_id: str,
        tenancy_ref: str,
        fields: Mapping[str, str],
        idempotency_key: str,
    ) -> Message:
        response = await self.respond(
            "POST",
            "/api/v1/letters",
            user=user,
            json={"template_id": template_id, "tenancy_ref": tenancy_ref, "fields": dict(fields)},
            headers={IDEMPOTENCY_HEADER: idempotency_key},
        )
        return self._message(response)

    async def create_letter_batch(
        self, user: User, *, template_id: str, payment_refs: str
    ) -> LetterBatch:
        """`payment_refs` as pasted: comms-api splits them (commas, spaces, new lines)."""
        body = await self.send(
            "POST",
            "/api/v1/letter-batches",
            user=user,
            json={"template_id": template_id, "payment_refs": payment_refs},
        )
        return self.read(LetterBatch, body)

    async def letter_batch(self, user: User, batch_id: str) -> LetterBatch:
        return await self.get_model(LetterBatch, f"/api/v1/letter-batches/{batch_id}", user=user)

    async def preview_batch_row(self, user: User, batch_id: str, position: int) -> LetterPreview:
        return await self.get_model(
            LetterPreview, f"/api/v1/letter-batches/{batch_id}/rows/{position}/preview", user=user
        )

    async def send_letter_batch(self, user: User, batch_id: str) -> LetterBatch:
        """Every valid row, once: a second call changes nothing (comms-api answers 200)."""
        body = await self.send("POST", f"/api/v1/letter-batches/{batch_id}/send", user=user)
        return self.read(LetterBatch, body)

    async def documents(
        self, user: User, filters: Mapping[str, str], *, page: int, per_page: int
    ) -> DocumentPage:
        return await self.get_model(
            DocumentPage,
            "/api/v1/documents",
            user=user,
            params={**filters, "page": page, "per_page": per_page},
        )

    async def document(self, user: User, document_id: str) -> Document:
        return await self.get_model(Document, f"/api/v1/documents/{document_id}", user=user)

    async def mark_failure_reviewed(self, user: User, document_id: str) -> Document:
        body = await self.send("POST", f"/api/v1/documents/{document_id}/failure-review", user=user)
        return self.read(Document, body)

    async def download(self, user: User, document_id: str, *, to_post: bool = False) -> Download:
        """The document's file. `to_post`: a letter before action downloaded to print and
        post by hand, which comms-api records as sent (once)."""
        response = await self.respond(
            "GET",
            f"/api/v1/documents/{document_id}/content",
            user=user,
            params={"purpose": "post" if to_post else "view"},
            stream=True,
        )
        if response.status_code >= 300:
            await response.aread()
            await response.aclose()
            raise self.problem(response)
        headers = {
            name: response.headers[name] for name in DOWNLOAD_HEADERS if name in response.headers
        }
        return Download(headers=headers, chunks=_chunks(response))

    async def messages_by_day(self, user: User, *, days: int) -> MessagesByDay:
        """Texts, emails and letters sent and failed per London day (the dashboard)."""
        return await self.get_model(
            MessagesByDay, "/api/v1/reports/messages-by-day", user=user, params={"days": days}
        )
