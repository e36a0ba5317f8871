"""What a person sees when something is missing or down: a page that says so, with the right
status, never a 500."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient

from frontend.testing import read

SignIn = Callable[[str], TestClient]


@pytest.mark.parametrize(
    "path", ["/worktray", "/cases/123456/01", "/search?q=mare", "/worktray.csv"]
)
def test_income_api_down_is_a_clear_503(signed_in: SignIn, income_network: Any, path: str) -> None:
    client = signed_in("rent")
    income_network.down = True
    page = read(client.get(path))
    assert page.status_code == 503
    assert page.heading == "Sorry, the service is unavailable"
    assert "Try again in a few minutes" in page.text
    assert "Rita Rent" in page.header


def test_the_health_check_follows_income_api(client: TestClient, income_network: Any) -> None:
    assert client.get("/api/v1/healthcheck/ping").json()["status"] == "healthy"
    income_network.down = True
    unhealthy = client.get("/api/v1/healthcheck/ping")
    assert unhealthy.status_code == 503
    assert unhealthy.json()["checks"]["income_api"]["status"] == "unhealthy"


def test_an_unknown_page_is_a_404_page(signed_in: SignIn) -> None:
    page = read(signed_in("rent").get("/no-such-page"))
    assert page.status_code == 404
    assert page.heading == "Page not found"
    assert page.navigation[0] == "Worktray"


def test_pages_carry_security_headers_and_are_not_cached(signed_in: SignIn) -> None:
    response = signed_in("rent").get("/search")
    assert response.headers["cache-control"] == "no-store"
    assert "frame-ancestors 'none'" in response.headers["content-security-policy"]
    nonce = response.headers["content-security-policy"].split("'nonce-")[1].split("'")[0]
    scripts = read(response).soup.find_all("script")
    assert scripts
    assert all(script.get("nonce") == nonce for script in scripts)
    assert response.headers["x-correlation-id"]


def test_assets_are_served_with_long_cache_headers(client: TestClient) -> None:
    page = read(client.get("/sign-in"))
    stylesheets = [str(link["href"]) for link in page.soup.find_all("link", rel="stylesheet")]
    assert any(href.startswith("/assets/govuk-frontend.min.css?v=") for href in stylesheets)
    for href in stylesheets:
        response = client.get(href)
        assert response.status_code == 200
        assert response.headers["cache-control"] == "public, max-age=31536000, immutable"
    module = page.soup.find("script", type="module")
    assert module is not None
    script_url = module.get_text().split('"')[1]
    assert (
        client.get(script_url)
        .headers["content-type"]
        .startswith(("text/javascript", "application/javascript"))
    )
    font = client.get("/assets/fonts/bold-b542beb274-v2.woff2")
    assert font.status_code == 200
    assert "immutable" in font.headers["cache-control"]
    assert client.get("/assets/../settings.py").status_code == 404
