"""Case events on SQS: published from the outbox, in the shared envelope."""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, Any

import boto3
from botocore.config import Config

if TYPE_CHECKING:
    from mypy_boto3_sqs import SQSClient


class SqsPublisher:
    """Sends message bodies to one queue. Delivery is at least once (a crash after sending
    and before the outbox row is marked sends again), so consumers de-duplicate on the
    envelope's `id`, as every consumer of our events must."""

    def __init__(
        self,
        *,
        queue_name: str,
        region: str,
        endpoint_url: str | None,
        create_queue: bool,
    ) -> None:
        self._queue_name = queue_name
        self._create_queue = create_queue
        self._client: SQSClient = boto3.client(
            "sqs",
            region_name=region,
            endpoint_url=endpoint_url,
            config=Config(connect_timeout=3, read_timeout=10, retries={"max_attempts": 2}),
        )
        self._queue_url: str | None = None
        self._lock = threading.Lock()

    def _url(self) -> str:
        with self._lock:
            if self._queue_url is None:
                if self._create_queue:
                    # Local stand-in only: in AWS the queues are infrastructure, not ours.
                    self._queue_url = self._client.create_queue(QueueName=self._queue_name)[
                        "QueueUrl"
                    ]
                else:
                    self._queue_url = self._client.get_queue_url(QueueName=self._queue_name)[
                        "QueueUrl"
                    ]
            return self._queue_url

    def publish(self, body: str, attributes: dict[str, Any]) -> None:
        self._client.send_message(
            QueueUrl=self._url(),
            MessageBody=body,
            MessageAttributes={
                name: {"DataType": "String", "StringValue": str(value)}
                for name, value in attributes.items()
            },
        )
