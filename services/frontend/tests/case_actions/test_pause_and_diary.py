"""Pausing a case, ending the pause and adding an action diary entry: forms that go back to
the case, which confirms what was done and shows UH's diary entry in its timeline."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient

from frontend.domain.formatting import date, today_in_london
from frontend.testing import Page, read

from .conftest import (
    NewCase,
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
NEXT_MONTH = TODAY + dt.timedelta(days=30)


def _timeline(page: Page) -> list[dict[str, str]]:
    return page.table("by week")


def test_the_pause_form_asks_for_a_date_a_reason_and_a_comment(
    signed_in: SignIn, new_case: NewCase
) -> None:
    ref = new_case()
    page = open_form(signed_in("rent"), f"/cases/{ref}/pause")
    assert page.title == f"Pause case {ref} – Manage arrears"
    assert page.heading == f"Rent case {ref} Pause case"
    legends = [" ".join(legend.get_text().split()) for legend in page.main.select("legend")]
    assert legends == ["Pause the case until", "Why is the case paused?"]
    assert page.soup.select_one('label[for="comment"]') is not None
    back = page.soup.select_one(".govuk-back-link")
    assert back is not None
    assert (back.get_text(strip=True), back["href"]) == ("Back to case", f"/cases/{ref}")
    assert "End the pause" not in page.text, "the case is not paused"


def test_pausing_a_case_confirms_it_and_shows_the_diary_entry(
    signed_in: SignIn, new_case: NewCase
) -> None:
    client, ref = signed_in("rent"), new_case()
    form = open_form(client, f"/cases/{ref}/pause")

    response = submit(
        client,
        form,
        date_fields("until", NEXT_MONTH)
        | {"reason": "Payment promised", "comment": "Pays on Friday"},
    )

    case = followed(client, response, f"/cases/{ref}")
    assert banner(case) == f"Success Case paused until {date(NEXT_MONTH)}"
    assert f"Paused until {date(NEXT_MONTH)}: Payment promised. Pays on Friday" in case.text
    diary = [row for row in _timeline(case) if "Paused to" in row["Details"]]
    assert len(diary) == 1
    assert diary[0]["What"] == "Promise of Payment (POP)"
    assert diary[0]["Details"].startswith(
        f"Payment promised: Paused to {NEXT_MONTH.isoformat()}. Pays on Friday"
    )
    again = read(client.get(f"/cases/{ref}"))
    assert banner(again) == "", "a confirmation is shown once"


def test_a_paused_case_can_have_its_pause_ended(signed_in: SignIn, new_case: NewCase) -> None:
    client, ref = signed_in("rent"), new_case()
    paused = submit(
        client,
        open_form(client, f"/cases/{ref}/pause"),
        date_fields("until", NEXT_MONTH) | {"reason": "Hospital", "comment": "In hospital"},
    )
    assert paused.status_code == 303
    form = open_form(client, f"/cases/{ref}/pause")
    assert "This case is paused until" in form.text

    response = submit(client, form, {}, action=f"/cases/{ref}/pause/end")

    case = followed(client, response, f"/cases/{ref}")
    assert banner(case) == "Success Pause ended"
    assert "Paused until" not in case.text
    assert any(row["Details"].startswith("Pause ended.") for row in _timeline(case))


@pytest.mark.parametrize(
    ("data", "errors"),
    [
        pytest.param(
            {},
            {
                "until": "Enter the date the pause ends",
                "reason": "Select why the case is paused",
                "comment": "Enter a comment",
            },
            id="nothing entered",
        ),
        pytest.param(
            date_fields("until", TODAY) | {"reason": "Other", "comment": "x"},
            {"until": "The date the pause ends must be in the future"},
            id="today",
        ),
        pytest.param(
            {"until-day": "31", "until-month": "2", "until-year": "2030"}
            | {"reason": "Other", "comment": "x"},
            {"until": "The date the pause ends must be a real date"},
            id="31 February",
        ),
        pytest.param(
            {"until-day": "3", "until-year": "2030", "reason": "Other", "comment": "x"},
            {"until": "The date the pause ends must include a month"},
            id="no month",
        ),
        pytest.param(
            date_fields("until", NEXT_MONTH) | {"reason": "Bored", "comment": "x" * 501},
            {
                "reason": "Select why the case is paused",
                "comment": "A comment must be 500 characters or fewer",
            },
            id="unknown reason and too long a comment",
        ),
    ],
)
def test_a_bad_pause_shows_what_to_fix_and_changes_nothing(
    signed_in: SignIn, new_case: NewCase, data: dict[str, str], errors: dict[str, str]
) -> None:
    client, ref = signed_in("rent"), new_case()

    page = read(submit(client, open_form(client, f"/cases/{ref}/pause"), data))

    assert page.status_code == 400
    assert page.title == f"Error: Pause case {ref} – Manage arrears"
    assert page.error_summary == list(errors.values())
    assert field_errors(page) == errors
    # The summary links to the field, a date input to its first box in error.
    assert summary_links(page)[0] in {f"#{next(iter(errors))}", "#until-day", "#until-month"}
    assert "Paused until" not in read(client.get(f"/cases/{ref}")).text


def test_a_bad_date_keeps_what_was_typed_and_highlights_the_box(
    signed_in: SignIn, new_case: NewCase
) -> None:
    client, ref = signed_in("rent"), new_case()
    page = read(
        submit(
            client,
            open_form(client, f"/cases/{ref}/pause"),
            {"until-day": "12", "until-month": "13", "until-year": "2030", "comment": "Waiting"},
        )
    )
    month = page.soup.select_one("#until-month")
    assert month is not None
    assert month["value"] == "13"
    assert "govuk-input--error" in month["class"]
    day = page.soup.select_one("#until-day")
    assert day is not None
    assert "govuk-input--error" not in day["class"]
    assert summary_links(page)[0] == "#until-month"
    comment = page.soup.select_one("#comment")
    assert comment is not None
    assert comment.get_text() == "Waiting"


def test_a_double_submitted_pause_writes_one_diary_entry(
    signed_in: SignIn, new_case: NewCase
) -> None:
    client, ref = signed_in("rent"), new_case()
    form = open_form(client, f"/cases/{ref}/pause")
    data = date_fields("until", NEXT_MONTH) | {"reason": "Debt advice", "comment": "Seeing CAB"}

    first = submit(client, form, data)
    second = submit(client, form, data)

    assert first.status_code == second.status_code == 303
    case = read(client.get(f"/cases/{ref}"))
    assert len([row for row in _timeline(case) if "Seeing CAB" in row["Details"]]) == 1


def test_a_diary_entry_is_added_from_the_list_of_codes(
    signed_in: SignIn, new_case: NewCase
) -> None:
    client, ref = signed_in("rent"), new_case()
    form = open_form(client, f"/cases/{ref}/diary/new")
    options = [o.get_text(strip=True) for o in form.soup.select("#action_code option")]
    assert options[0] == "Choose the type of action"
    assert "Outgoing Telephone Call (OTC)" in options
    assert options[1:] == sorted(options[1:], key=str.lower)

    response = submit(client, form, {"action_code": "OTC", "comment": "Rang about the arrears"})

    case = followed(client, response, f"/cases/{ref}")
    assert banner(case) == "Success Action diary entry added: Outgoing Telephone Call (OTC)"
    rows = [row for row in _timeline(case) if "Rang about the arrears" in row["Details"]]
    assert [row["What"] for row in rows] == ["Outgoing Telephone Call (OTC)"]
    assert "Rita Rent" in rows[0]["Details"]


def test_a_diary_entry_naming_the_documents_page_links_to_it(
    signed_in: SignIn, new_case: NewCase
) -> None:
    client, ref = signed_in("rent"), new_case()
    form = open_form(client, f"/cases/{ref}/diary/new")
    comment = "Letter 1 handed over. Documents: /documents?payment_ref=228012345"

    case = followed(
        client, submit(client, form, {"action_code": "OTC", "comment": comment}), f"/cases/{ref}"
    )

    links = case.links()
    assert links["documents for payment reference 228012345"] == "/documents?payment_ref=228012345"
    assert "Letter 1 handed over. Documents: documents for payment reference" in case.text


@pytest.mark.parametrize(
    ("data", "errors"),
    [
        pytest.param(
            {},
            {"action_code": "Select the type of action", "comment": "Enter what happened"},
            id="nothing",
        ),
        pytest.param(
            {"action_code": "IC1", "comment": "Sent letter 1 by hand"},
            {"action_code": "Select the type of action"},
            id="a code only the system writes",
        ),
        pytest.param(
            {"action_code": "OTC", "comment": "x" * 2001},
            {"comment": "What happened must be 2,000 characters or fewer"},
            id="too long",
        ),
    ],
)
def test_a_bad_diary_entry_shows_what_to_fix(
    signed_in: SignIn, new_case: NewCase, data: dict[str, str], errors: dict[str, str]
) -> None:
    client, ref = signed_in("rent"), new_case()
    page = read(submit(client, open_form(client, f"/cases/{ref}/diary/new"), data))
    assert page.status_code == 400
    assert field_errors(page) == errors
    assert page.error_summary == list(errors.values())


def test_people_who_may_not_act_get_the_not_allowed_page(
    signed_in: SignIn, new_case: NewCase
) -> None:
    ref, leasehold_ref = new_case(), new_case("leasehold")
    client = signed_in("read-only")
    case = read(client.get(f"/cases/{ref}"))
    assert "Pause case" not in case.links()
    for path in ("pause", "diary/new", "nosp", "agreements/new", "vulnerabilities/new"):
        page = read(client.get(f"/cases/{ref}/{path}"))
        assert page.status_code == 403, path
        assert page.heading == "You cannot do this"
    refused = read(
        client.post(
            f"/cases/{ref}/diary/new",
            data={"csrf_token": case.form_token, "action_code": "OTC", "comment": "x"},
        )
    )
    assert refused.status_code == 403
    # A caseworker of the other team is refused by income-api.
    other_team = read(signed_in("rent").get(f"/cases/{leasehold_ref}/pause"))
    assert other_team.status_code == 403
