"""Numbered pages: what "Showing 21 to 40 of 1,234 cases" and the page links say."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Pagination:
    page: int
    per_page: int
    total: int

    @property
    def number_of_pages(self) -> int:
        return max(1, -(-self.total // self.per_page))

    @property
    def first_shown(self) -> int:
        return 0 if self.total == 0 else (self.page - 1) * self.per_page + 1

    @property
    def last_shown(self) -> int:
        return min(self.page * self.per_page, self.total)

    @property
    def has_previous(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.number_of_pages

    def numbers(self, around: int = 1) -> list[int | None]:
        """Page numbers to link: the first, the last and `around` each side of this one;
        `None` where pages are left out (shown as an ellipsis)."""
        wanted = {1, self.number_of_pages} | set(
            range(max(1, self.page - around), min(self.number_of_pages, self.page + around) + 1)
        )
        shown: list[int | None] = []
        previous = 0
        for number in sorted(wanted):
            if number - previous > 1:
                shown.append(None)
            shown.append(number)
            previous = number
        return shown
