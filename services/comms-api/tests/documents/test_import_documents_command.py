"""`comms-api-import-documents` as an operator runs it: the old system's CSV and folder in,
good rows on the Documents page beside the letters, bad rows reported by line, and a second run
importing nothing twice."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from comms_api import import_documents
from comms_api.settings import Settings, get_settings

TIFF = b"II*\x00" + b"\x00" * 64
CSV = """\
filename,payment_ref,tenancy_ref,date,type,description
2019/nosp.pdf,1234567890,0123456/01,2019-03-02,Notice seeking possession,Served by hand
notes/call.txt,,0123456/01,14/05/2020,File note,
scan.tif,9876543210,,2018-01-09,Tenancy agreement,"Signed, both pages"
../outside.pdf,1234567890,,2019-03-02,Letter,
absent.pdf,1234567890,,2019-03-02,Letter,
2019/nosp.pdf,12345,,2019-03-02,Letter,
virus.exe,1234567890,,2019-03-02,Letter,
"""


@pytest.fixture
def command(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The command set up as the service is (its database and document store)."""
    monkeypatch.setenv("DATABASE_URL", settings.database_url)
    monkeypatch.setenv("DOCUMENT_STORE", "folder")
    monkeypatch.setenv("DOCUMENTS_FOLDER", str(settings.documents_folder))
    monkeypatch.setenv("LOG_LEVEL", "WARNING")
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


@pytest.fixture
def export(tmp_path: Path) -> Path:
    """The old system's export: a folder of files and the CSV listing them."""
    folder = tmp_path / "export"
    (folder / "2019").mkdir(parents=True)
    (folder / "notes").mkdir()
    (folder / "2019/nosp.pdf").write_bytes(b"%PDF-1.4 notice seeking possession")
    (folder / "notes/call.txt").write_text("Tenant called to agree a plan.")
    (folder / "scan.tif").write_bytes(TIFF)
    (folder / "virus.exe").write_bytes(b"MZ")
    (tmp_path / "outside.pdf").write_bytes(b"%PDF-1.4 not for import")
    (tmp_path / "documents.csv").write_text(CSV)
    return folder


def _run(export: Path, *extra: str) -> int:
    return import_documents.main(
        ["--folder", str(export), "--csv", str(export.parent / "documents.csv"), *extra]
    )


def test_good_rows_are_imported_bad_ones_reported_and_a_rerun_imports_nothing_twice(
    command: None,
    export: Path,
    client: TestClient,
    caseworker: dict[str, str],
    capsys: pytest.CaptureFixture[str],
) -> None:
    status = _run(export)
    report = capsys.readouterr().out.splitlines()

    assert status == 1, "some rows were bad"
    assert report[-1] == "imported 3, already imported 0, bad 4"
    assert report[0] == "line 5: filename '../outside.pdf' must be a path inside the import folder"
    assert report[1] == "line 6: there is no file 'absent.pdf'"
    assert report[2] == "line 7: payment_ref '12345' is not 10 digits"
    assert report[3].startswith("line 8: file type 'exe'")

    listed = client.get("/api/v1/documents", params={"kind": "legacy"}, headers=caseworker)
    documents = {d["filename"]: d for d in listed.json()["results"]}
    assert list(documents) == ["call.txt", "nosp.pdf", "scan.tif"], "newest first"
    call = documents["call.txt"]
    assert (call["status"], call["created_by"], call["template_name"]) == (
        "imported",
        "legacy import",
        "File note",
    )
    assert (call["tenancy_ref"], call["payment_ref"], call["document_date"]) == (
        "0123456/01",
        None,
        "2020-05-14",
    )
    assert documents["scan.tif"]["description"] == "Signed, both pages"
    scan = client.get(documents["scan.tif"]["content_url"], headers=caseworker)
    assert scan.content == TIFF
    assert scan.headers["content-type"] == "image/tiff"
    by_tenancy = client.get(
        "/api/v1/documents", params={"tenancy_ref": "0123456/01"}, headers=caseworker
    )
    assert by_tenancy.json()["total_count"] == 2

    assert _run(export) == 1
    assert capsys.readouterr().out.splitlines()[-1] == "imported 0, already imported 3, bad 4"
    again = client.get("/api/v1/documents", headers=caseworker)
    assert again.json()["total_count"] == 3


def test_a_corrected_csv_imports_only_what_is_new_and_exits_0(
    command: None, export: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _run(export)
    (export / "absent.pdf").write_bytes(b"%PDF-1.4 found it")
    good_lines = [line for line in CSV.splitlines() if "../" not in line and "exe" not in line]
    good_lines = [line for line in good_lines if ",12345," not in line]
    (export.parent / "documents.csv").write_text("\n".join(good_lines) + "\n")
    capsys.readouterr()

    assert _run(export) == 0
    assert capsys.readouterr().out == "imported 1, already imported 3, bad 0\n"


def test_a_dry_run_checks_everything_and_stores_nothing(
    command: None,
    export: Path,
    client: TestClient,
    caseworker: dict[str, str],
    capsys: pytest.CaptureFixture[str],
) -> None:
    status = _run(export, "--dry-run")

    assert status == 1
    assert capsys.readouterr().out.splitlines()[-1] == (
        "would import 3, already imported 0, bad 4 (dry run: nothing was stored)"
    )
    assert client.get("/api/v1/documents", headers=caseworker).json()["total_count"] == 0
    assert _run(export) == 1
    assert capsys.readouterr().out.splitlines()[-1] == "imported 3, already imported 0, bad 4"


def test_the_same_document_twice_in_one_csv_is_imported_once(
    command: None, export: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    header, first = CSV.splitlines()[:2]
    (export.parent / "documents.csv").write_text(f"{header}\n{first}\n{first}\n")

    assert _run(export) == 0
    assert capsys.readouterr().out == "imported 1, already imported 1, bad 0\n"


@pytest.mark.parametrize(
    ("csv_text", "message"),
    [
        pytest.param(None, "There is no CSV file", id="no CSV"),
        pytest.param("", "is empty", id="an empty CSV"),
        pytest.param("filename,date\nnosp.pdf,2019-03-02\n", "has no column", id="columns missing"),
        pytest.param(b"filename\xff\n", "cannot be read", id="not text"),
    ],
)
def test_when_the_csv_cannot_be_used_nothing_is_imported_and_it_exits_2(
    command: None,
    export: Path,
    capsys: pytest.CaptureFixture[str],
    csv_text: str | bytes | None,
    message: str,
) -> None:
    csv_path = export.parent / "documents.csv"
    if csv_text is None:
        csv_path.unlink()
    elif isinstance(csv_text, bytes):
        csv_path.write_bytes(csv_text)
    else:
        csv_path.write_text(csv_text)

    assert _run(export) == 2
    output = capsys.readouterr()
    assert message in output.err
    assert output.out == ""


def test_a_folder_that_is_not_there_exits_2(
    command: None, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "documents.csv").write_text(CSV)

    assert _run(tmp_path / "no-such-folder") == 2
    assert "There is no folder" in capsys.readouterr().err
