"""Comms events from SQS (comms-api publishes them): received by long polling, deleted once
acted on. Whatever is not deleted SQS delivers again, then moves to the dead-letter queue."""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import boto3
from botocore.config import Config

if TYPE_CHECKING:
    from mypy_boto3_sqs import SQSClient


@dataclass(frozen=True)
class ReceivedEvent:
    sqs_message_id: str
    receipt_handle: str
    body: str


class SqsReceiver:
    def __init__(
        self,
        *,
        queue_name: str,
        region: str,
        endpoint_url: str | None,
        create_queue: bool,
        visibility_timeout: int | None = None,
    ) -> None:
        self._queue_name = queue_name
        self._create_queue = create_queue
        # When set, each receive hides its messages this long (else the queue's own setting).
        self._visibility_timeout = visibility_timeout
        self._client: SQSClient = boto3.client(
            "sqs",
            region_name=region,
            endpoint_url=endpoint_url,
            # The read timeout outlasts the longest long poll (20 seconds in SQS).
            config=Config(connect_timeout=3, read_timeout=30, retries={"max_attempts": 2}),
        )
        self._queue_url: str | None = None
        self._lock = threading.Lock()

    def _url(self) -> str:
        with self._lock:
            if self._queue_url is None:
                if self._create_queue:
                    # Local stand-in only: in AWS the queue (and its dead-letter queue) is
                    # infrastructure. Created as comms-api, which publishes to it, creates it.
                    self._queue_url = self._client.create_queue(QueueName=self._queue_name)[
                        "QueueUrl"
                    ]
                else:
                    self._queue_url = self._client.get_queue_url(QueueName=self._queue_name)[
                        "QueueUrl"
                    ]
            return self._queue_url

    def receive(self, *, wait_seconds: int, max_messages: int = 10) -> list[ReceivedEvent]:
        options: dict[str, Any] = {}
        if self._visibility_timeout is not None:
            options["VisibilityTimeout"] = self._visibility_timeout
        received = self._client.receive_message(
            QueueUrl=self._url(),
            MaxNumberOfMessages=max_messages,
            WaitTimeSeconds=wait_seconds,
            **options,
        )
        return [
            ReceivedEvent(
                sqs_message_id=message["MessageId"],
                receipt_handle=message["ReceiptHandle"],
                body=message["Body"],
            )
            for message in received.get("Messages", [])
        ]

    def delete(self, event: ReceivedEvent) -> None:
        self._client.delete_message(QueueUrl=self._url(), ReceiptHandle=event.receipt_handle)
