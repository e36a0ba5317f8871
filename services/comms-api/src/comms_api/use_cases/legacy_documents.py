"""Importing the old system's documents so caseworkers see them beside the letters sent: each
good row's file is stored and recorded; each bad row is reported and skipped; a row imported
before is recognised by its import key and not imported again."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import Engine, select
from sqlalchemy.exc import IntegrityError

from comms_api.domain.documents import DocumentKind, DocumentStatus
from comms_api.domain.legacy_documents import (
    LEGACY_CREATED_BY,
    InvalidLegacyRow,
    LegacyDocument,
    import_key,
    parse_row,
    size_problem,
)
from comms_api.gateways.document_store import DocumentStore, DocumentStoreUnavailable
from comms_api.gateways.tables import documents


@dataclass
class ImportReport:
    imported: int = 0
    already_imported: int = 0
    # (CSV line, why the row was skipped), in the CSV's order.
    bad: list[tuple[int, str]] = field(default_factory=list)
    # Why the import stopped before the end (the document store went away), if it did.
    stopped: str | None = None


def _read_file(folder: Path, document: LegacyDocument) -> bytes:
    root = folder.resolve()
    path = (root / document.path).resolve()
    # A symbolic link could still lead out of the folder.
    if not path.is_relative_to(root):
        raise InvalidLegacyRow(document.line, [f"{document.path!r} leads outside the folder"])
    if not path.is_file():
        raise InvalidLegacyRow(document.line, [f"there is no file {document.path!r}"])
    problem = size_problem(path.stat().st_size)
    if problem:
        raise InvalidLegacyRow(document.line, [problem])
    try:
        return path.read_bytes()
    except OSError as error:
        raise InvalidLegacyRow(
            document.line, [f"{document.path!r} cannot be read: {error.strerror}"]
        ) from error


def _imported_before(engine: Engine, key: str) -> bool:
    with engine.connect() as conn:
        found = conn.execute(select(documents.c.id).where(documents.c.import_key == key)).first()
    return found is not None


def import_legacy_documents(
    engine: Engine,
    store: DocumentStore,
    *,
    folder: Path,
    rows: Iterable[tuple[int, Mapping[str, str | None]]],
    today: dt.date,
    dry_run: bool = False,
) -> ImportReport:
    """Import each (CSV line, row). A dry run checks everything and stores nothing; its
    `imported` is what would be. The document store going away stops the import (see
    `stopped`): the rows done stay done, and running it again carries on where it stopped."""
    report = ImportReport()
    seen: set[str] = set()
    for line, row in rows:
        try:
            document = parse_row(line, row, today=today)
            content = _read_file(folder, document)
        except InvalidLegacyRow as invalid:
            report.bad.append((invalid.line, "; ".join(invalid.reasons)))
            continue
        key = import_key(document, content)
        if key in seen or _imported_before(engine, key):
            report.already_imported += 1
            continue
        seen.add(key)
        if dry_run:
            report.imported += 1
            continue
        storage_key = f"legacy/{key}.{document.filename.rpartition('.')[2].lower()}"
        # Stored first, recorded second: a crash between leaves a file no row points to,
        # which the next run overwrites under the same key before recording it.
        try:
            store.put(storage_key, content, document.content_type)
        except DocumentStoreUnavailable as error:
            report.stopped = f"at line {line} the document store could not be reached: {error}"
            break
        now = dt.datetime.now(tz=dt.UTC)
        try:
            with engine.begin() as conn:
                conn.execute(
                    documents.insert().values(
                        id=str(uuid.uuid4()),
                        kind=DocumentKind.LEGACY.value,
                        message_id=None,
                        payment_ref=document.payment_ref,
                        tenancy_ref=document.tenancy_ref,
                        template_id=None,
                        template_name=document.document_type,
                        description=document.description,
                        status=DocumentStatus.IMPORTED.value,
                        storage_key=storage_key,
                        filename=document.filename,
                        content_type=document.content_type,
                        size_bytes=len(content),
                        created_by=LEGACY_CREATED_BY,
                        document_date=document.document_date,
                        import_key=key,
                        created_at=now,
                        updated_at=now,
                    )
                )
        except IntegrityError:
            # Another import of the same CSV recorded it first.
            report.already_imported += 1
            continue
        report.imported += 1
    return report
