"""Fixtures: the fake served for real on a free port (the official client speaks `requests`,
so an in-process TestClient would not be the same thing), with the default local service plus
the odd services the rules need, and reset before each test."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from notifications_python_client.errors import HTTPError
from notifications_python_client.notifications import NotificationsAPIClient

from fake_notify.config import LIVE_API_KEY, TEAM_API_KEY, TEST_API_KEY
from fake_notify.testing import FakeNotifyAdmin, rules_config, running_fake_notify


@pytest.fixture(scope="session")
def base_url() -> Iterator[str]:
    with running_fake_notify(rules_config()) as url:
        yield url


@pytest.fixture(autouse=True)
def admin(base_url: str) -> FakeNotifyAdmin:
    fake = FakeNotifyAdmin(base_url)
    fake.reset()
    return fake


@pytest.fixture
def client_for(base_url: str) -> Callable[[str], NotificationsAPIClient]:
    def make(api_key: str) -> NotificationsAPIClient:
        return NotificationsAPIClient(api_key, base_url=base_url)

    return make


@pytest.fixture
def live(client_for: Callable[[str], NotificationsAPIClient]) -> NotificationsAPIClient:
    return client_for(LIVE_API_KEY)


@pytest.fixture
def test_key(client_for: Callable[[str], NotificationsAPIClient]) -> NotificationsAPIClient:
    return client_for(TEST_API_KEY)


@pytest.fixture
def team(client_for: Callable[[str], NotificationsAPIClient]) -> NotificationsAPIClient:
    return client_for(TEAM_API_KEY)


NotifyCall = Callable[..., tuple[int, list[dict[str, str]]]]


@pytest.fixture
def fails() -> NotifyCall:
    """Call a client method that must fail; return Notify's status and `errors` list."""

    def call(
        method: Callable[..., object], *args: object, **kwargs: object
    ) -> tuple[int, list[dict[str, str]]]:
        with pytest.raises(HTTPError) as caught:
            method(*args, **kwargs)
        errors = caught.value.message
        assert isinstance(errors, list), errors
        return caught.value.status_code, errors

    return call
