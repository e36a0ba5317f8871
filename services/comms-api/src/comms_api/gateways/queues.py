"""SQS through boto3 (moto's server locally, AWS in production): the comms requests queue
with its dead-letter queue, and the comms events queue.

boto3's errors become one: `QueueUnavailable` (SQS cannot be reached, or the queue is
missing), which callers treat as "try again later"."""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar

import boto3
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError

from comms_api.settings import Settings

if TYPE_CHECKING:
    from mypy_boto3_sqs import SQSClient
    from mypy_boto3_sqs.literals import QueueAttributeNameType
    from mypy_boto3_sqs.type_defs import MessageAttributeValueTypeDef

T = TypeVar("T")

logger = logging.getLogger(__name__)


class QueueUnavailable(Exception):
    """SQS cannot be reached now, or the queue does not exist: try again later."""


@dataclass(frozen=True)
class QueueMessage:
    message_id: str
    receipt_handle: str
    body: str
    # How many times SQS has handed this message out, this time included.
    receive_count: int
    attributes: dict[str, str] = field(default_factory=dict)


def sqs_client(settings: Settings) -> SQSClient:
    return boto3.client(
        "sqs",
        region_name=settings.aws_region,
        endpoint_url=settings.sqs_endpoint_url,
        # The read timeout outlasts the longest long poll (20 seconds in SQS).
        config=Config(connect_timeout=3, read_timeout=30, retries={"max_attempts": 2}),
    )


class SqsQueue:
    """One queue, found by name (its URL looked up once), created with its redrive policy
    when `create` is set (the local stand-in only)."""

    def __init__(
        self,
        client: SQSClient,
        name: str,
        *,
        create: bool,
        dead_letter_queue: SqsQueue | None = None,
        max_receive_count: int = 5,
        visibility_timeout: int | None = None,
    ) -> None:
        self.name = name
        self._client = client
        self._create = create
        self._dead_letter_queue = dead_letter_queue
        self._max_receive_count = max_receive_count
        # When set, each receive hides its messages this long (else the queue's own setting).
        self._visibility_timeout = visibility_timeout
        self._url: str | None = None
        self._lock = threading.Lock()

    def _call(self, call: Callable[[], T]) -> T:
        try:
            return call()
        except (BotoCoreError, ClientError) as error:
            raise QueueUnavailable(f"SQS queue {self.name}: {error}") from error

    def url(self) -> str:
        with self._lock:
            if self._url is None:
                self._url = self._call(self._create_queue if self._create else self._find_queue)
            return self._url

    def _find_queue(self) -> str:
        return self._client.get_queue_url(QueueName=self.name)["QueueUrl"]

    def _create_queue(self) -> str:
        attributes: dict[QueueAttributeNameType, str] = {}
        if self._dead_letter_queue is not None:
            attributes["RedrivePolicy"] = json.dumps(
                {
                    "deadLetterTargetArn": self._dead_letter_queue.arn(),
                    "maxReceiveCount": str(self._max_receive_count),
                }
            )
        try:
            return self._client.create_queue(QueueName=self.name, Attributes=attributes)["QueueUrl"]
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") != "QueueAlreadyExists":
                raise
            # Created first by another service without our redrive policy: use it as it is.
            logger.warning("SQS queue exists with other attributes", extra={"queue": self.name})
            return self._find_queue()

    def arn(self) -> str:
        url = self.url()
        attributes = self._call(
            lambda: self._client.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])
        )
        return attributes["Attributes"]["QueueArn"]

    def receive(self, *, max_messages: int = 10, wait_seconds: int = 0) -> list[QueueMessage]:
        """Up to `max_messages`, waiting up to `wait_seconds` for the first (long polling)."""
        url = self.url()
        options: dict[str, Any] = {}
        if self._visibility_timeout is not None:
            options["VisibilityTimeout"] = self._visibility_timeout
        received = self._call(
            lambda: self._client.receive_message(
                QueueUrl=url,
                MaxNumberOfMessages=max_messages,
                WaitTimeSeconds=wait_seconds,
                MessageSystemAttributeNames=["ApproximateReceiveCount"],
                MessageAttributeNames=["All"],
                **options,
            )
        )
        return [
            QueueMessage(
                message_id=message["MessageId"],
                receipt_handle=message["ReceiptHandle"],
                body=message["Body"],
                receive_count=int(message.get("Attributes", {}).get("ApproximateReceiveCount", 1)),
                attributes={
                    name: value["StringValue"]
                    for name, value in message.get("MessageAttributes", {}).items()
                    if "StringValue" in value
                },
            )
            for message in received.get("Messages", [])
        ]

    def send(self, body: str, attributes: Mapping[str, str] | None = None) -> None:
        url = self.url()
        message_attributes: dict[str, MessageAttributeValueTypeDef] = {
            name: {"DataType": "String", "StringValue": value}
            for name, value in (attributes or {}).items()
            if value
        }
        self._call(
            lambda: self._client.send_message(
                QueueUrl=url, MessageBody=body, MessageAttributes=message_attributes
            )
        )

    def delete(self, message: QueueMessage) -> None:
        url = self.url()
        self._call(
            lambda: self._client.delete_message(QueueUrl=url, ReceiptHandle=message.receipt_handle)
        )

    def dead_letter(self, message: QueueMessage, reason: str) -> None:
        """Move a message that can never be processed to the dead-letter queue now, rather
        than after `max_receive_count` pointless receives. Sent before it is deleted, so a
        failure in between leaves a copy on both queues, never on neither."""
        if self._dead_letter_queue is None:
            raise QueueUnavailable(f"SQS queue {self.name} has no dead-letter queue.")
        self._dead_letter_queue.send(
            message.body, message.attributes | {"dead_letter_reason": reason}
        )
        self.delete(message)


def comms_requests_queue(
    settings: Settings, client: SQSClient, *, visibility_timeout: int | None = None
) -> SqsQueue:
    dead_letter_queue = SqsQueue(
        client, settings.comms_requests_dead_letter_queue_name, create=settings.sqs_create_queue
    )
    return SqsQueue(
        client,
        settings.comms_requests_queue_name,
        create=settings.sqs_create_queue,
        dead_letter_queue=dead_letter_queue,
        max_receive_count=settings.comms_requests_max_receive_count,
        visibility_timeout=visibility_timeout,
    )


def comms_events_queue(settings: Settings, client: SQSClient) -> SqsQueue:
    return SqsQueue(client, settings.comms_events_queue_name, create=settings.sqs_create_queue)
