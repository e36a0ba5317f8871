"""The Hackney-style JWT, checked on every route except health, and the one place where
token groups become roles.

User tokens (from Hackney's auth service, or minted locally in AUTH_MODE=dev) are HS256 JWTs
with `sub`, `email`, `name`, `groups`. Service tokens, for one service calling another on its
own account (nightly sync, automation), are HS256 JWTs signed with a separate secret carrying
`sub` = the calling service and `consumer_type` = "service".
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Annotated, Any

import jwt
from fastapi import Depends, Request

from ma_shared.errors import Forbidden, Unauthenticated
from ma_shared.settings import AuthMode, ServiceSettings

SERVICE_CONSUMER_TYPE = "service"
JWT_ALGORITHM = "HS256"
TOKEN_COOKIE = "hackneyToken"  # noqa: S105 - a cookie name


class Role(StrEnum):
    RENT_CASEWORKER = "rent_caseworker"
    LEASEHOLD_CASEWORKER = "leasehold_caseworker"
    TEAM_LEADER = "team_leader"
    READ_ONLY = "read_only"
    SERVICE = "service"


# Roles allowed to change data (write to UH, send messages). Read-only clients may only read.
WRITER_ROLES = frozenset(
    {Role.RENT_CASEWORKER, Role.LEASEHOLD_CASEWORKER, Role.TEAM_LEADER, Role.SERVICE}
)
READER_ROLES = WRITER_ROLES | {Role.READ_ONLY}


@dataclass(frozen=True)
class User:
    """Who is calling. `name` and `email` go to audit fields and events, never to logs."""

    sub: str
    email: str
    name: str
    groups: tuple[str, ...]
    roles: frozenset[Role] = field(default_factory=frozenset)
    token: str = field(default="", repr=False)

    @property
    def is_service(self) -> bool:
        return Role.SERVICE in self.roles


def roles_for_groups(groups: Iterable[str], settings: ServiceSettings) -> frozenset[Role]:
    """The single group -> role mapping of the suite.

    As in Hackney's income frontend, any group containing "income" makes a rent (income
    collection) caseworker and any containing "leasehold" a leasehold caseworker. Team
    leaders and read-only API clients are exact group names from settings. A team leader
    can do what either caseworker can.
    """
    roles: set[Role] = set()
    for group in groups:
        lowered = group.lower()
        if group in settings.team_leader_groups:
            roles |= {Role.TEAM_LEADER, Role.RENT_CASEWORKER, Role.LEASEHOLD_CASEWORKER}
        if group in settings.read_only_groups:
            roles.add(Role.READ_ONLY)
        if "income" in lowered:
            roles.add(Role.RENT_CASEWORKER)
        if "leasehold" in lowered:
            roles.add(Role.LEASEHOLD_CASEWORKER)
    return frozenset(roles)


def _bearer_token(request: Request) -> str | None:
    header = request.headers.get("Authorization")
    if header:
        scheme, _, value = header.partition(" ")
        # Hackney callers also send the bare token; accept both.
        return value.strip() if scheme.lower() == "bearer" and value else header.strip()
    return None


def decode_token(token: str, settings: ServiceSettings) -> User:
    try:
        unverified = jwt.decode(token, options={"verify_signature": False})
    except jwt.PyJWTError as exc:
        raise Unauthenticated("The token is not a valid JWT.") from exc
    is_service = unverified.get("consumer_type") == SERVICE_CONSUMER_TYPE
    secret = settings.service_jwt_secret if is_service else settings.hackney_jwt_secret
    try:
        claims: dict[str, Any] = jwt.decode(
            token,
            secret.get_secret_value(),
            algorithms=[JWT_ALGORITHM],
            options={"require": ["sub"]},
        )
    except jwt.ExpiredSignatureError as exc:
        raise Unauthenticated("The token has expired.") from exc
    except jwt.PyJWTError as exc:
        raise Unauthenticated("The token's signature or claims are not valid.") from exc
    if is_service:
        service = str(claims["sub"])
        return User(
            sub=service,
            email=f"{service}@manage-arrears.service",
            name=service,
            groups=(),
            roles=frozenset({Role.SERVICE}),
            token=token,
        )
    groups = claims.get("groups")
    if not isinstance(groups, list) or not all(isinstance(g, str) for g in groups):
        raise Unauthenticated("The token has no list of groups.")
    if not isinstance(claims.get("email"), str):
        raise Unauthenticated("The token has no email claim.")
    return User(
        sub=str(claims["sub"]),
        email=claims["email"],
        name=str(claims.get("name") or claims["email"]),
        groups=tuple(groups),
        roles=roles_for_groups(groups, settings),
        token=token,
    )


def authenticate(request: Request) -> User:
    """FastAPI dependency: the verified caller, or 401."""
    settings: ServiceSettings = request.app.state.settings
    token = _bearer_token(request)
    if token is None:
        raise Unauthenticated("Send a token: Authorization: Bearer <jwt>.")
    user = decode_token(token, settings)
    request.state.user = user
    return user


CurrentUser = Annotated[User, Depends(authenticate)]


def require_roles(allowed: Iterable[Role], action: str) -> Callable[[User], User]:
    """A dependency that lets through only callers holding one of `allowed` roles."""
    allowed_roles = frozenset(allowed)

    def check(user: CurrentUser) -> User:
        if not user.roles & allowed_roles:
            raise Forbidden(f"Your groups do not allow you to {action}.")
        return user

    return check


Reader = Annotated[User, Depends(require_roles(READER_ROLES, "read this"))]
Writer = Annotated[User, Depends(require_roles(WRITER_ROLES, "change this"))]


# Groups given to tokens minted locally for each role (`make token ROLE=...`, dev sign-in).
DEV_ROLE_GROUPS: dict[str, tuple[str, str, list[str]]] = {
    "rent": ("Rita Rent", "rita.rent@hackney.gov.uk", ["income-collection-officers"]),
    "leasehold": (
        "Lee Leasehold",
        "lee.leasehold@hackney.gov.uk",
        ["leasehold-services-officers"],
    ),
    "team-leader": (
        "Tess Leader",
        "tess.leader@hackney.gov.uk",
        ["manage-arrears-team-leaders", "income-collection-officers"],
    ),
    "read-only": ("Reed Only", "reed.only@hackney.gov.uk", ["manage-arrears-api-read-only"]),
}


def mint_user_token(
    *,
    sub: str,
    email: str,
    name: str,
    groups: list[str],
    secret: str,
    expires_in: dt.timedelta | None = None,
) -> str:
    """A user token shaped exactly like Hackney's (`iss` "Hackney", `iat`, groups list)."""
    now = dt.datetime.now(tz=dt.UTC)
    claims: dict[str, Any] = {
        "sub": sub,
        "email": email,
        "name": name,
        "groups": groups,
        "iss": "Hackney",
        "iat": int(now.timestamp()),
    }
    if expires_in is not None:
        claims["exp"] = int((now + expires_in).timestamp())
    return jwt.encode(claims, secret, algorithm=JWT_ALGORITHM)


def mint_service_token(service_name: str, secret: str, expires_in: dt.timedelta) -> str:
    now = dt.datetime.now(tz=dt.UTC)
    claims = {
        "sub": service_name,
        "consumer_type": SERVICE_CONSUMER_TYPE,
        "iat": int(now.timestamp()),
        "exp": int((now + expires_in).timestamp()),
    }
    return jwt.encode(claims, secret, algorithm=JWT_ALGORITHM)


def mint_dev_token(role: str, settings: ServiceSettings) -> str:
    """A token for one of the dev roles; only in AUTH_MODE=dev."""
    if settings.auth_mode is not AuthMode.DEV:
        raise RuntimeError("Dev tokens can only be minted when AUTH_MODE=dev.")
    if role not in DEV_ROLE_GROUPS:
        raise ValueError(f"Unknown role {role!r}; choose one of {', '.join(DEV_ROLE_GROUPS)}.")
    name, email, groups = DEV_ROLE_GROUPS[role]
    return mint_user_token(
        sub=f"dev-{role}",
        email=email,
        name=name,
        groups=groups,
        secret=settings.hackney_jwt_secret.get_secret_value(),
        expires_in=dt.timedelta(hours=12),
    )
