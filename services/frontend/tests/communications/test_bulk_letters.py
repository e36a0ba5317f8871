"""Bulk letters: paste payment references, see every row (its problems, or its letter), send
every valid one once, then each letter's status."""

from __future__ import annotations

from collections.abc import Callable

from fastapi.testclient import TestClient

from fake_notify.testing import FakeNotifyAdmin
from frontend.testing import read

SignIn = Callable[[str], TestClient]
Accounts = Callable[[str], list[str]]
LETTER = "letter_1_in_arrears_LH"


def test_the_form_offers_the_team_s_letters_made_from_uh_s_data(signed_in: SignIn) -> None:
    page = read(signed_in("leasehold").get("/letters/bulk"))
    assert page.status_code == 200
    assert page.heading == "Send letters"
    offered = [label.get_text(strip=True) for label in page.soup.select(".govuk-radios__label")]
    assert "Letter 1 in arrears lh" in offered
    assert "Letter before action" in offered
    # Letter 2's date of letter 1 comes from each account's diary in UH.
    assert "Letter 2 in arrears lh" in offered
    assert not any("Income collection" in name for name in offered)
    assert "Send letters" in page.navigation


def test_nothing_chosen_or_pasted_is_an_error_on_each_field(signed_in: SignIn) -> None:
    client = signed_in("leasehold")
    token = read(client.get("/letters/bulk")).form_token
    page = read(client.post("/letters/bulk", data={"csrf_token": token, "payment_refs": " \n"}))
    assert page.status_code == 400
    assert page.error_summary == ["Choose a letter", "Enter the payment references"]


def test_a_batch_shows_every_row_and_sends_each_valid_letter_once(
    signed_in: SignIn, uh_accounts: Accounts, notify: FakeNotifyAdmin
) -> None:
    client = signed_in("leasehold")
    refs = uh_accounts("leasehold")[:4]
    pasted = f"{refs[0]}, {refs[1]}\n12345 {refs[2]}\n{refs[3]}"
    token = read(client.get("/letters/bulk")).form_token
    made = client.post(
        "/letters/bulk",
        data={"csrf_token": token, "template_id": LETTER, "payment_refs": pasted},
    )
    assert made.status_code == 303
    batch_url = made.headers["location"]
    assert batch_url.startswith("/letters/batches/")

    batch = read(client.get(batch_url))
    assert batch.status_code == 200
    assert "Letter 1 in arrears lh" in batch.heading
    rows = batch.table("Every payment reference")
    assert [row["Payment reference"] for row in rows] == [
        refs[0],
        refs[1],
        "12345",
        refs[2],
        refs[3],
    ]
    bad = rows[2]
    assert bad["Status"] == "Cannot be sent"
    assert "A payment reference is 10 digits" in bad["Details"]
    assert bad["Tenancy"] == ""
    ready = [row for row in rows if row["Status"] == "Ready to send"]
    assert ready, "some of UH's leasehold accounts can be sent letter 1"
    assert all(row["Tenancy"].startswith("Case ") for row in ready)
    assert f"{len(ready)} letter" in batch.text

    first_ready = next(i for i, row in enumerate(rows, start=1) if row["Status"] == "Ready to send")
    preview_link = batch.links()[
        f"Preview the letter for {rows[first_ready - 1]['Payment reference']}"
    ]
    assert preview_link == f"{batch_url}/rows/{first_ready}"
    preview = read(client.get(preview_link))
    assert preview.status_code == 200
    assert preview.soup.select("img.app-letter-page")

    send_all = f"Send all {len(ready)} valid letter" + ("s" if len(ready) > 1 else "")
    assert send_all in batch.text
    for _ in range(2):  # a double submit
        sent = client.post(f"{batch_url}/send", data={"csrf_token": batch.form_token})
        assert sent.status_code == 303
        assert sent.headers["location"] == batch_url
    assert len(notify.sent(type="letter")) == len(ready)

    after = read(client.get(batch_url))
    assert send_all not in after.text
    assert "Sent by Lee Leasehold on " in after.text
    statuses = {row["Status"] for row in after.table("Every payment reference")}
    assert "Ready to send" not in statuses
    assert statuses <= {"Cannot be sent", "Sent to be printed", "Waiting to be sent", "Not sent"}
    assert after.links()["Refresh the letters’ status"] == batch_url
