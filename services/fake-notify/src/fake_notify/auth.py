"""Notify's API-key check, in Notify's order (the domain notes, B.1).

The token's `iss` names the service; each of the service's keys is tried in turn and the one
whose secret verifies the signature identifies the key, and so its type. The client's own
helpers decode the token, so the ±30 s clock window is exactly the client library's.
"""

from __future__ import annotations

from collections.abc import Mapping
from uuid import UUID

from notifications_python_client.authentication import decode_jwt_token, get_token_issuer
from notifications_python_client.errors import (
    TokenAlgorithmError,
    TokenDecodeError,
    TokenError,
    TokenExpiredError,
    TokenIssuerError,
)

from fake_notify.config import ApiKeyConfig, ServiceConfig
from fake_notify.errors import auth_error

GENERIC_AUTH_MESSAGE = (
    "Invalid token: make sure your API token matches the example at "
    "https://docs.notifications.service.gov.uk/rest-api.html#authorisation-header"
)


def _token_from_header(authorization: str | None) -> str:
    if not authorization:
        raise auth_error("Unauthorized: authentication token must be provided", 401)
    # Notify title-cases the scheme, so "bearer " is as good as "Bearer ".
    if authorization[:7].title() != "Bearer ":
        raise auth_error("Unauthorized: authentication bearer scheme must be used", 401)
    return authorization[7:]


def authenticate(
    authorization: str | None, services: Mapping[UUID, ServiceConfig]
) -> tuple[ServiceConfig, ApiKeyConfig]:
    token = _token_from_header(authorization)
    try:
        issuer = get_token_issuer(token)
    except TokenIssuerError as error:
        raise auth_error("Invalid token: iss field not provided") from error
    except TokenDecodeError as error:
        raise auth_error(GENERIC_AUTH_MESSAGE) from error
    try:
        service_id = UUID(str(issuer))
    except ValueError as error:
        raise auth_error("Invalid token: service id is not the right data type") from error
    service = services.get(service_id)
    if service is None:
        raise auth_error("Invalid token: service not found")
    if not service.keys:
        raise auth_error("Invalid token: service has no API keys")
    if not service.active:
        raise auth_error("Invalid token: service is archived")
    for key in service.keys:
        try:
            decode_jwt_token(token, key.secret)
        except TokenExpiredError as error:
            raise auth_error(
                "Error: Your system clock must be accurate to within 30 seconds"
            ) from error
        except TokenAlgorithmError as error:
            raise auth_error("Invalid token: algorithm used is not HS256") from error
        except TokenDecodeError:
            # Signed with another key's secret: try the next key, as Notify does.
            continue
        except TokenError as error:
            raise auth_error(GENERIC_AUTH_MESSAGE) from error
        if key.revoked:
            raise auth_error("Invalid token: API key revoked")
        return service, key
    raise auth_error("Invalid token: API key not found")
