"""The published API contract: documented for other council teams, every route behind a token."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient


def test_openapi_and_docs_are_served_without_a_token(client: TestClient) -> None:
    assert client.get("/api/v1/openapi.json").status_code == 200
    assert client.get("/api/v1/docs").status_code == 200


def test_every_field_and_parameter_is_described(client: TestClient) -> None:
    spec = client.get("/api/v1/openapi.json").json()

    undescribed = [
        f"{name}.{prop}"
        for name, schema in spec["components"]["schemas"].items()
        for prop, field in schema.get("properties", {}).items()
        if "description" not in field and not name.startswith(("ErrorBody", "HealthReport"))
    ] + [
        f"{method.upper()} {path} ?{parameter['name']}"
        for path, operations in spec["paths"].items()
        for method, operation in operations.items()
        for parameter in operation.get("parameters", [])
        if "description" not in parameter
    ]

    assert undescribed == []


def test_every_route_but_health_and_docs_requires_a_token(client: TestClient) -> None:
    spec = client.get("/api/v1/openapi.json").json()
    for path, operations in spec["paths"].items():
        if path == "/api/v1/healthcheck/ping":
            continue
        for method in operations:
            response = client.request(method, re.sub(r"\{[a-z_]+\}", "1", path))
            assert response.status_code == 401, f"{method} {path}"
            assert response.json()["error"]["code"] == "unauthenticated"
