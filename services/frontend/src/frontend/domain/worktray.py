"""The worktray's views (tabs), filters and sort, read from a page's query string and turned
into income-api's `GET /api/v1/cases` query. Every state is a URL, so tabs, filters and pages
work as plain links and GET forms, without JavaScript."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from enum import StrEnum
from typing import Final
from urllib.parse import urlencode

from frontend.domain.labels import PAUSE_REASONS, RECOMMENDED_ACTIONS
from ma_shared.vocabulary import ServiceArea

PER_PAGE: Final = 20
MY_PATCHES: Final = "mine"
UNASSIGNED: Final = "unassigned"
_PATCH_CODE = re.compile(r"^[A-Z0-9]{1,10}$")


class Tab(StrEnum):
    IMMEDIATE = "immediate"
    PAUSED = "paused"
    COURT_DATES = "court-dates"
    EVICTIONS = "evictions"
    ALL = "all"


TAB_LABELS: Final[dict[Tab, str]] = {
    Tab.IMMEDIATE: "Immediate actions",
    Tab.PAUSED: "Paused",
    Tab.COURT_DATES: "Upcoming court dates",
    Tab.EVICTIONS: "Upcoming evictions",
    Tab.ALL: "All cases",
}

SORTS: Final[dict[str, str]] = {
    "priority": "Most urgent first",
    "balance": "Highest balance first",
    "days_since_last_payment": "Longest since last payment first",
    "court_date": "Soonest court date first",
    "eviction_date": "Soonest eviction first",
    "paused_until": "Pause ending soonest first",
    "recently_changed": "Recommended action changed most recently",
}

VULNERABILITY_CHOICES: Final[dict[str, str]] = {
    "yes": "With a vulnerability",
    "no": "Without a vulnerability",
}

# The views income-api gives each tab. Immediate actions and "all" are said explicitly, so a
# next-action filter narrows the tab instead of replacing it.
_TAB_QUERY: Final[dict[Tab, dict[str, str]]] = {
    Tab.IMMEDIATE: {"immediate_actions": "true"},
    Tab.PAUSED: {"paused": "true"},
    Tab.COURT_DATES: {"upcoming_court_dates": "true"},
    Tab.EVICTIONS: {"upcoming_evictions": "true"},
    Tab.ALL: {"immediate_actions": "false"},
}


@dataclass(frozen=True)
class WorktrayQuery:
    service_area: ServiceArea
    tab: Tab = Tab.IMMEDIATE
    patch: str = ""
    recommended_action: str = ""
    pause_reason: str = ""
    vulnerable: str = ""
    sort: str = ""
    page: int = 1

    @classmethod
    def from_query(cls, query: Mapping[str, str], service_area: ServiceArea) -> WorktrayQuery:
        """Read a page's query string; a value that is not one of the choices is dropped
        rather than refused, so an old bookmark still opens the worktray."""
        tab = query.get("tab", "")
        patch = query.get("patch", "").strip()
        if patch not in {"", MY_PATCHES, UNASSIGNED}:
            patch = patch.upper() if _PATCH_CODE.match(patch.upper()) else ""
        action = query.get("recommended_action", "")
        reason = query.get("pause_reason", "")
        vulnerable = query.get("vulnerable", "")
        sort = query.get("sort", "")
        page = query.get("page", "1")
        return cls(
            service_area=service_area,
            tab=Tab(tab) if tab in Tab.__members__.values() else Tab.IMMEDIATE,
            patch=patch,
            recommended_action=action if action in RECOMMENDED_ACTIONS[service_area] else "",
            pause_reason=reason if reason in PAUSE_REASONS else "",
            vulnerable=vulnerable if vulnerable in VULNERABILITY_CHOICES else "",
            sort=sort if sort in SORTS else "",
            page=int(page) if page.isdigit() and 0 < int(page) <= 100_000 else 1,
        )

    def api_params(self, *, page: int | None = None, per_page: int = PER_PAGE) -> dict[str, str]:
        """income-api's `GET /api/v1/cases` query for this view."""
        params = {"service_area": self.service_area.value, **_TAB_QUERY[self.tab]}
        if self.patch == MY_PATCHES:
            params["my_patches"] = "true"
        elif self.patch:
            params["patch"] = self.patch.lower() if self.patch == UNASSIGNED else self.patch
        if self.recommended_action:
            params["recommended_action"] = self.recommended_action
        if self.pause_reason:
            params["pause_reason"] = self.pause_reason
        if self.vulnerable:
            params["vulnerable"] = "true" if self.vulnerable == "yes" else "false"
        if self.sort:
            params["sort"] = self.sort
        params["page"] = str(page or self.page)
        params["per_page"] = str(per_page)
        return params

    def query_string(self, *, with_service_area: bool, page: int | None = None) -> str:
        """The page's own query for this view (at another `page`); defaults are left out so
        URLs stay short."""
        view = self if page is None else replace(self, page=page)
        pairs: list[tuple[str, str]] = []
        if with_service_area:
            pairs.append(("service_area", view.service_area.value))
        if view.tab is not Tab.IMMEDIATE:
            pairs.append(("tab", view.tab.value))
        for name in ("patch", "recommended_action", "pause_reason", "vulnerable", "sort"):
            value = getattr(view, name)
            if value:
                pairs.append((name, value))
        if view.page != 1:
            pairs.append(("page", str(view.page)))
        return urlencode(pairs)

    def for_tab(self, tab: Tab) -> WorktrayQuery:
        """Another tab keeps the patch and vulnerability filters; the tab's own filters, its
        sort and the page start again."""
        return WorktrayQuery(
            service_area=self.service_area, tab=tab, patch=self.patch, vulnerable=self.vulnerable
        )

    @property
    def is_filtered(self) -> bool:
        return any(
            (self.patch, self.recommended_action, self.pause_reason, self.vulnerable, self.sort)
        )
