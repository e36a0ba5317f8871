"""Test support: read a page as a person does (its title, heading, words, links, tables,
error summary), so tests assert on what a caseworker reads rather than on markup. Used by
the page tests and the browser tests; needs `beautifulsoup4` (a development dependency)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Any

import httpx
from bs4 import BeautifulSoup, Tag


def words(element: Any) -> str:
    """An element's text with whitespace collapsed, as it reads."""
    return " ".join(element.get_text(" ").split()) if element is not None else ""


@dataclass(frozen=True)
class Page:
    status_code: int
    html: str

    @cached_property
    def soup(self) -> BeautifulSoup:
        return BeautifulSoup(self.html, "html.parser")

    @property
    def title(self) -> str:
        return words(self.soup.title)

    @property
    def heading(self) -> str:
        return words(self.soup.find("h1"))

    @property
    def main(self) -> Tag:
        main = self.soup.find("main")
        assert isinstance(main, Tag), "the page has no <main>"
        return main

    @property
    def text(self) -> str:
        """The words of the main content."""
        return words(self.main)

    @property
    def header(self) -> str:
        """The words of the page's header: the service name, the menu, who is signed in."""
        return words(self.soup.header)

    @property
    def navigation(self) -> list[str]:
        return [words(a) for a in self.soup.select(".govuk-service-navigation__list a")]

    @property
    def error_summary(self) -> list[str]:
        return [words(li) for li in self.soup.select(".govuk-error-summary__list li")]

    @property
    def form_token(self) -> str:
        field = self.soup.find("input", {"name": "csrf_token"})
        assert isinstance(field, Tag), "the page has no form with a token"
        return str(field["value"])

    def form(self, action: str) -> dict[str, str]:
        """What a browser would post from the form posting to `action`, as it is: hidden and
        text inputs, text areas, each select's chosen option and each checked radio or
        checkbox (the last, for a repeated name)."""
        form = self.soup.find("form", action=action)
        assert isinstance(form, Tag), f"no form posts to {action}"
        values: dict[str, str] = {}
        for field in form.find_all(["input", "textarea", "select"]):
            name = str(field.get("name") or "")
            if not name:
                continue
            if field.name == "textarea":
                values[name] = field.get_text()
            elif field.name == "select":
                chosen = field.find("option", selected=True)
                values[name] = str(chosen["value"]) if isinstance(chosen, Tag) else ""
            elif field.get("type") not in {"radio", "checkbox"} or field.has_attr("checked"):
                values[name] = str(field.get("value", ""))
        return values

    def links(self) -> dict[str, str]:
        """The main content's links: words → address (the first, for repeated words)."""
        found: dict[str, str] = {}
        for link in self.main.find_all("a"):
            found.setdefault(words(link), str(link.get("href")))
        return found

    def table(self, caption: str) -> list[dict[str, str]]:
        """The rows of the table whose caption contains `caption`, each as column header →
        cell words."""
        for table in self.soup.find_all("table"):
            if caption in words(table.caption):
                headers = [words(th) for th in table.select("thead th")]
                return [
                    dict(
                        zip(
                            headers,
                            (words(cell) for cell in row.find_all(["td", "th"])),
                            strict=False,
                        )
                    )
                    for row in table.select("tbody tr")
                ]
        raise AssertionError(f"no table with a caption containing {caption!r}")


def read(response: Any) -> Page:
    return Page(status_code=response.status_code, html=response.text)


class Network(httpx.AsyncBaseTransport):
    """A wire to an API app in process (`create_app(..., income_api_transport=Network(app))`);
    with `down` set it fails as a stopped server would."""

    def __init__(self, app: Any) -> None:
        self._transport = httpx.ASGITransport(app=app)
        self.down = False

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if self.down:
            raise httpx.ConnectError("connection refused", request=request)
        return await self._transport.handle_async_request(request)
