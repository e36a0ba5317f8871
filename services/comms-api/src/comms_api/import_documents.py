"""`comms-api-import-documents --folder DIR --csv FILE [--dry-run]`: import the old system's
documents so caseworkers see them on the Documents page beside the letters sent.

The CSV has a header row with the columns filename, payment_ref, tenancy_ref, date, type and
(optionally) description; filename is a path inside DIR. Each bad row is reported with its
line and reason and skipped; the good ones are imported; running the same CSV again imports
nothing twice. The database and document store are the service's own (DATABASE_URL,
DOCUMENT_STORE, ...).

Exit status: 0 when every row is imported (or was already), 1 when some rows were bad (the
rest are imported), 2 when the import could not run (no CSV or folder, a CSV that cannot be
read or lacks columns, the database or the document store unreachable).
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

from sqlalchemy.exc import SQLAlchemyError

from comms_api.domain.legacy_documents import missing_columns
from comms_api.gateways.document_store import make_document_store
from comms_api.migrations import upgrade
from comms_api.settings import get_settings
from comms_api.use_cases.legacy_documents import ImportReport, import_legacy_documents
from ma_shared.database import create_database_engine
from ma_shared.structured_logging import configure_logging
from ma_shared.uk_time import LONDON

EXIT_OK, EXIT_BAD_ROWS, EXIT_COULD_NOT_RUN = 0, 1, 2


class CannotImport(Exception):
    pass


def read_rows(csv_path: Path) -> list[tuple[int, dict[str, str | None]]]:
    """Every data row with the line it ends on; header names compared without case."""
    try:
        # utf-8-sig: spreadsheets save CSV with a byte order mark.
        with csv_path.open(newline="", encoding="utf-8-sig") as file:
            reader = csv.DictReader(file)
            if reader.fieldnames is None:
                raise CannotImport(f"{csv_path} is empty: it needs a header row.")
            absent = missing_columns(reader.fieldnames)
            if absent:
                raise CannotImport(f"{csv_path} has no column {', '.join(absent)}.")
            reader.fieldnames = [name.strip().lower() for name in reader.fieldnames]
            return [(reader.line_num, row) for row in reader]
    except FileNotFoundError as error:
        raise CannotImport(f"There is no CSV file {csv_path}.") from error
    except (OSError, UnicodeDecodeError, csv.Error) as error:
        raise CannotImport(f"{csv_path} cannot be read: {error}") from error


def _write_report(out: TextIO, report: ImportReport, *, dry_run: bool) -> None:
    for line, reason in report.bad:
        out.write(f"line {line}: {reason}\n")
    if report.stopped:
        out.write(
            f"The import stopped {report.stopped}. Rows imported so far stay imported; run "
            "it again to carry on.\n"
        )
    imported = "would import" if dry_run else "imported"
    out.write(
        f"{imported} {report.imported}, already imported {report.already_imported}, "
        f"bad {len(report.bad)}" + (" (dry run: nothing was stored)" if dry_run else "") + "\n"
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="comms-api-import-documents",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--folder", type=Path, required=True, help="the folder of files")
    parser.add_argument("--csv", type=Path, required=True, help="the CSV listing them")
    parser.add_argument(
        "--dry-run", action="store_true", help="check every row and report; store nothing"
    )
    arguments = parser.parse_args(argv)
    settings = get_settings()
    configure_logging(settings.service_name, settings.environment, settings.log_level)
    try:
        if not arguments.folder.is_dir():
            raise CannotImport(f"There is no folder {arguments.folder}.")
        rows = read_rows(arguments.csv)
        if settings.migrate_on_startup:
            upgrade(settings.database_url)
        engine = create_database_engine(settings.database_url)
        try:
            report = import_legacy_documents(
                engine,
                make_document_store(settings),
                folder=arguments.folder,
                rows=rows,
                # The old system's dates are the council's: "not in the future" means after
                # today in London.
                today=dt.datetime.now(tz=LONDON).date(),
                dry_run=arguments.dry_run,
            )
        finally:
            engine.dispose()
    except CannotImport as error:
        sys.stderr.write(f"{error}\n")
        return EXIT_COULD_NOT_RUN
    except SQLAlchemyError as error:
        sys.stderr.write(
            f"The database cannot be used: {error}\nRows imported so far stay imported; run "
            "it again to carry on.\n"
        )
        return EXIT_COULD_NOT_RUN
    _write_report(sys.stdout, report, dry_run=arguments.dry_run)
    if report.stopped:
        return EXIT_COULD_NOT_RUN
    return EXIT_BAD_ROWS if report.bad else EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
