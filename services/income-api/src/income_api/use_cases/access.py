"""Who may see and act on which cases."""

from __future__ import annotations

from income_api.domain.terms import ServiceArea
from ma_shared.auth import Role, User
from ma_shared.errors import Forbidden


def service_areas_for(user: User) -> frozenset[ServiceArea]:
    """Rent caseworkers work rent cases, leasehold caseworkers service charge cases; team
    leaders, read-only clients and services see both."""
    if user.roles & {Role.TEAM_LEADER, Role.READ_ONLY, Role.SERVICE}:
        return frozenset(ServiceArea)
    areas: set[ServiceArea] = set()
    if Role.RENT_CASEWORKER in user.roles:
        areas.add(ServiceArea.RENT)
    if Role.LEASEHOLD_CASEWORKER in user.roles:
        areas.add(ServiceArea.LEASEHOLD)
    return frozenset(areas)


def ensure_service_area(user: User, service_area: ServiceArea | str) -> None:
    area = ServiceArea(service_area)
    if area not in service_areas_for(user):
        raise Forbidden(
            f"Your groups do not allow you to work on {area.value} cases.",
            code="wrong_service_area",
        )


def acting_name(user: User) -> str:
    """Who did it, as audit fields and UH's diary record it."""
    return user.name or user.email or user.sub
