"""Search, through income-api's search of UH's tenancies."""

from __future__ import annotations

from collections.abc import Callable

from fastapi.testclient import TestClient

from frontend.testing import read

SignIn = Callable[[str], TestClient]


def test_searching_by_tenancy_ref_finds_the_case(signed_in: SignIn) -> None:
    client = signed_in("rent")
    case_link = read(client.get("/worktray")).main.select_one("table a")
    assert case_link is not None
    ref = str(case_link["href"]).removeprefix("/cases/")

    page = read(client.get("/search", params={"q": ref}))
    assert page.status_code == 200
    assert page.title == f"Search results for ‘{ref}’ – Manage arrears"
    rows = page.table("Tenancies matching")
    assert rows[0]["Tenancy"].startswith(f"Case {ref}")
    assert rows[0]["Account"] == "Rent"
    assert page.links()[f"Case {ref}"] == f"/cases/{ref}"


def test_searching_by_name_or_postcode(signed_in: SignIn) -> None:
    client = signed_in("rent")
    found = read(client.get("/search", params={"q": "E8"}))
    assert "Showing 1 to" in found.text
    assert found.table("Tenancies matching")


def test_a_search_needs_two_characters(signed_in: SignIn) -> None:
    page = read(signed_in("rent").get("/search", params={"q": "x"}))
    assert page.status_code == 400
    assert page.error_summary == ["Enter at least 2 characters to search for"]
    assert page.links()["Enter at least 2 characters to search for"] == "#q"


def test_nothing_found_says_so(signed_in: SignIn) -> None:
    page = read(signed_in("rent").get("/search", params={"q": "zzzzqqqq"}))
    assert "No tenancies match ‘zzzzqqqq’" in page.text


def test_the_search_form_without_a_query(signed_in: SignIn) -> None:
    page = read(signed_in("rent").get("/search"))
    assert page.heading == "Search for a tenancy"
    assert page.soup.find("table") is None
