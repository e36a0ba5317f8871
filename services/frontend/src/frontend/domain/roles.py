"""What a signed-in person may see: their service areas, the navigation, whether they can act.
Roles come from the token's groups in one place (`ma_shared.auth`); the APIs enforce the same
rules, so this only decides what to offer."""

from __future__ import annotations

from dataclasses import dataclass

from ma_shared.auth import WRITER_ROLES, Role, User
from ma_shared.vocabulary import ServiceArea


@dataclass(frozen=True)
class NavigationItem:
    text: str
    href: str


def is_team_leader(user: User) -> bool:
    return Role.TEAM_LEADER in user.roles


def can_act(user: User) -> bool:
    """Caseworkers and team leaders change cases; read-only people only look."""
    return bool(user.roles & WRITER_ROLES)


def service_areas(user: User) -> tuple[ServiceArea, ...]:
    """As income-api decides (its `use_cases/access.py`): team leaders and read-only people
    see both; caseworkers their own team's."""
    if user.roles & {Role.TEAM_LEADER, Role.READ_ONLY}:
        return (ServiceArea.RENT, ServiceArea.LEASEHOLD)
    areas = []
    if Role.RENT_CASEWORKER in user.roles:
        areas.append(ServiceArea.RENT)
    if Role.LEASEHOLD_CASEWORKER in user.roles:
        areas.append(ServiceArea.LEASEHOLD)
    return tuple(areas)


def navigation(user: User) -> list[NavigationItem]:
    items = [
        NavigationItem("Worktray", "/worktray"),
        NavigationItem("Search", "/search"),
        NavigationItem("Documents", "/documents"),
    ]
    if can_act(user):
        items.append(NavigationItem("Send letters", "/letters/bulk"))
    if is_team_leader(user):
        items += [NavigationItem("Dashboard", "/dashboard"), NavigationItem("Sync jobs", "/jobs")]
    return items
