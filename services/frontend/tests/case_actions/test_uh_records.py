"""Changes to what UH holds about a case: a NOSP served, an eviction date, and a contact's
phone numbers and email."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient

from frontend.domain.formatting import date, today_in_london
from frontend.testing import Page, read, words

from .conftest import (
    NewCase,
    after_heading,
    banner,
    date_fields,
    field_errors,
    followed,
    open_form,
    submit,
    summary_links,
)

SignIn = Callable[[str], TestClient]
TODAY = today_in_london()


NOSP = "Notice of seeking possession"


def _nosp(page: Page) -> str:
    return words(after_heading(page, NOSP, ["dl", "p"]))


def _nosp_rows(page: Page) -> dict[str, str]:
    rows = after_heading(page, NOSP, "dl").select(".govuk-summary-list__row")
    return {words(row.select_one("dt")): words(row.select_one("dd")) for row in rows}


def test_a_nosp_is_recorded_and_shown_on_the_case_with_its_diary_entry(
    signed_in: SignIn, new_case: NewCase
) -> None:
    client, ref = signed_in("rent"), new_case()
    served = TODAY - dt.timedelta(days=2)
    form = open_form(client, f"/cases/{ref}/nosp")
    assert form.heading == f"Rent case {ref} Record a notice of seeking possession (NOSP)"

    response = submit(client, form, date_fields("served_date", served) | {"comment": "By hand"})

    case = followed(client, response, f"/cases/{ref}")
    assert banner(case) == f"Success NOSP recorded: served on {date(served)}"
    assert _nosp_rows(case)["Served"] == date(served)
    assert _nosp_rows(case)["Status"] == "In the cooling-off period"
    notices = [row for row in case.table("by week") if row["What"] == "Notice Served (NTS)"]
    assert len(notices) == 1
    assert f"NOSP served on {served:%d/%m/%Y}" in notices[0]["Details"]
    assert "By hand" in notices[0]["Details"]


@pytest.mark.parametrize(
    ("data", "error"),
    [
        pytest.param({}, "Enter the date the NOSP was served", id="no date"),
        pytest.param(
            date_fields("served_date", TODAY + dt.timedelta(days=1)),
            "The date the NOSP was served must be today or in the past",
            id="tomorrow",
        ),
        pytest.param(
            # Ours lets it through; income-api refuses it, and says so by the field.
            date_fields("served_date", dt.date(1999, 12, 31)),
            "The date the NOSP was served must be today or in the past, and not before 2000.",
            id="refused by income-api",
        ),
    ],
)
def test_a_bad_nosp_shows_what_to_fix_and_changes_nothing(
    signed_in: SignIn, new_case: NewCase, data: dict[str, str], error: str
) -> None:
    client, ref = signed_in("rent"), new_case()
    before = read(client.get(f"/cases/{ref}"))
    page = read(submit(client, open_form(client, f"/cases/{ref}/nosp"), data))
    assert page.status_code == 400
    assert page.error_summary == [error]
    assert field_errors(page) == {"served_date": error}
    assert summary_links(page) == ["#served_date-day"]
    after = read(client.get(f"/cases/{ref}"))
    assert _nosp(after) == _nosp(before)
    assert after.table("by week") == before.table("by week")


def test_a_leasehold_case_has_no_nosp_court_case_or_eviction_pages(
    signed_in: SignIn, new_case: NewCase
) -> None:
    client, ref = signed_in("leasehold"), new_case("leasehold")
    links = read(client.get(f"/cases/{ref}")).links()
    for path in ("nosp", "court-cases/new", "evictions/new"):
        assert f"/cases/{ref}/{path}" not in links.values()
        page = read(client.get(f"/cases/{ref}/{path}"))
        assert page.status_code == 404, path
        assert "Leasehold accounts have no" in page.text


def _evictions(page: Page) -> list[str]:
    return [words(li) for li in after_heading(page, "Evictions", ["ul", "p"]).find_all("li")]


def test_an_eviction_date_is_set_and_shown(signed_in: SignIn, new_case: NewCase) -> None:
    client, ref = signed_in("rent"), new_case()
    day = TODAY + dt.timedelta(days=21)
    before = _evictions(read(client.get(f"/cases/{ref}")))
    form = open_form(client, f"/cases/{ref}/evictions/new")

    first = submit(client, form, date_fields("date", day))
    again = submit(client, form, date_fields("date", day))

    case = followed(client, first, f"/cases/{ref}")
    assert again.status_code == 303
    assert banner(case) == f"Success Eviction date set: {date(day)}"
    after = _evictions(case)
    assert len(after) == len(before) + 1, "the double submit made one"
    assert after[0].startswith(f"{date(day)} (recorded by Rita Rent")
    eds = [row for row in case.table("by week") if row["What"] == "Eviction Date Set (EDS)"]
    assert len(eds) == 1


def test_an_eviction_date_in_the_past_is_refused(signed_in: SignIn, new_case: NewCase) -> None:
    client, ref = signed_in("rent"), new_case()
    before = _evictions(read(client.get(f"/cases/{ref}")))
    page = read(
        submit(
            client,
            open_form(client, f"/cases/{ref}/evictions/new"),
            date_fields("date", TODAY - dt.timedelta(days=1)),
        )
    )
    assert page.status_code == 400
    assert field_errors(page) == {"date": "The eviction date must be today or in the future"}
    assert _evictions(read(client.get(f"/cases/{ref}"))) == before


def _case_with_contact(client: TestClient, new_case: NewCase) -> tuple[str, str, str]:
    """A rent case whose tenancy has a contact: its ref, the contact's change page and name."""
    for _ in range(20):
        ref = new_case()
        page = open_form(client, f"/cases/{ref}/contacts")
        change = page.soup.select_one(".govuk-summary-card__actions a")
        if change is not None:
            title = page.soup.select_one(".govuk-summary-card__title")
            assert title is not None
            return ref, str(change["href"]), title.get_text(strip=True)
    raise AssertionError("no case in the simulator has a contact")


def _contacts(page: Page) -> str:
    return words(after_heading(page, "Contacts", "ul"))


def test_a_contacts_numbers_and_email_are_changed(signed_in: SignIn, new_case: NewCase) -> None:
    client = signed_in("rent")
    ref, change, name = _case_with_contact(client, new_case)
    form = open_form(client, change)
    assert form.heading == f"Rent case {ref} Change contact details for {name}"

    response = submit(
        client,
        form,
        {
            "mobile_phone": "+44 7700 900 982",
            "home_phone": "",
            "work_phone": "020 7946 0000",
            "email_address": "tenant@example.com",
        },
    )

    case = followed(client, response, f"/cases/{ref}")
    assert banner(case) == f"Success Contact details changed for {name}"
    contacts = _contacts(case)
    assert "Mobile: 07700900982" in contacts
    assert "Work: 02079460000" in contacts
    assert "Email: tenant@example.com" in contacts
    assert "Home:" not in contacts

    unchanged = submit(client, open_form(client, change), {})
    assert banner(followed(client, unchanged, f"/cases/{ref}")) == (
        f"Success No changes made for {name}"
    )


@pytest.mark.parametrize(
    ("data", "errors"),
    [
        pytest.param(
            {"mobile_phone": "12345"},
            {"mobile_phone": "Enter a UK mobile number, like 07700 900 982, or leave it blank"},
            id="too short",
        ),
        pytest.param(
            {"home_phone": "+1 212 555 0100", "email_address": "tenant.example.com"},
            {
                "home_phone": "Enter a UK home phone number, like 020 7946 0000, or leave it blank",
                "email_address": "Enter an email address in the correct format, like "
                "name@example.com",
            },
            id="abroad and no @",
        ),
        pytest.param(
            {"email_address": f"{'a' * 45}@example.com"},
            {"email_address": "The email address must be 50 characters or fewer"},
            id="longer than UH keeps",
        ),
    ],
)
def test_bad_contact_details_show_what_to_fix(
    signed_in: SignIn, new_case: NewCase, data: dict[str, Any], errors: dict[str, str]
) -> None:
    client = signed_in("rent")
    ref, change, _ = _case_with_contact(client, new_case)
    before = _contacts(read(client.get(f"/cases/{ref}")))
    form = open_form(client, change)
    page = read(submit(client, form, data))
    assert page.status_code == 400
    assert field_errors(page) == errors
    assert page.error_summary == list(errors.values())
    assert _contacts(read(client.get(f"/cases/{ref}"))) == before


def test_an_unknown_contact_is_not_found(signed_in: SignIn, new_case: NewCase) -> None:
    page = read(signed_in("rent").get(f"/cases/{new_case()}/contacts/99999999"))
    assert page.status_code == 404
