"""Column types that reproduce SQL Server's behaviour for UH on SQLite and PostgreSQL.

UH is SQL Server: `char(n)` values come back space-padded, money is `numeric(p,2)` and dates
are `smalldatetime` with `1900-01-01 00:00` meaning "no date". These types keep those
behaviours visible in the simulator while giving the gateway clean Python values.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import CHAR, DateTime, Dialect
from sqlalchemy.dialects import sqlite
from sqlalchemy.types import TypeDecorator, TypeEngine

NO_DATE = dt.datetime(1900, 1, 1)  # noqa: DTZ001 - UH stores naive local times
SQLITE_DATETIME_FORMAT = "%Y-%m-%d %H:%M:%S"


class UHChar(TypeDecorator[str]):
    """`char(n)`: stored padded to n (as SQL Server and PostgreSQL do), read back trimmed.

    Bind values are padded too, so `tag_ref = :ref` matches the stored padded value on SQLite
    and still uses the index (no `RTRIM(col)` on the column side).
    """

    impl = CHAR
    cache_ok = True

    def __init__(self, length: int) -> None:
        super().__init__(length)
        self.length = length

    def process_bind_param(self, value: str | None, dialect: Dialect) -> str | None:
        if value is None:
            return None
        if len(value) > self.length:
            # SQL Server and PostgreSQL refuse this; make the SQLite simulator refuse it too.
            raise ValueError(f"{value!r} is longer than char({self.length})")
        return value.ljust(self.length)

    def process_result_value(self, value: str | None, dialect: Dialect) -> str | None:
        if value is None:
            return None
        return value.rstrip()


class SmallDateTime(TypeDecorator[dt.datetime]):
    """`smalldatetime`: minute precision, naive (UH keeps the server's local time).

    The UH sentinel `1900-01-01 00:00` is stored as it is; readers use `uh_date` to turn it
    (and NULL) into "no date". On SQLite it is ISO text without fractions so string order
    is time order.
    """

    impl = DateTime
    cache_ok = True

    def load_dialect_impl(self, dialect: Dialect) -> TypeEngine[Any]:
        if dialect.name == "sqlite":
            return dialect.type_descriptor(
                sqlite.DATETIME(  # type: ignore[no-untyped-call]
                    storage_format="%(year)04d-%(month)02d-%(day)02d "
                    "%(hour)02d:%(minute)02d:%(second)02d",
                    regexp=r"(\d+)-(\d+)-(\d+) (\d+):(\d+):(\d+)",
                )
            )
        return dialect.type_descriptor(DateTime())

    def process_bind_param(self, value: dt.datetime | dt.date | None, dialect: Dialect) -> Any:
        if value is None:
            return None
        if not isinstance(value, dt.datetime):
            value = dt.datetime.combine(value, dt.time())
        return value.replace(second=0, microsecond=0, tzinfo=None)


def uh_date(value: dt.datetime | None) -> dt.datetime | None:
    """A UH date, or None for NULL and the 1900-01-01 sentinel."""
    if value is None or value.date() <= NO_DATE.date():
        return None
    return value


def uh_text(value: str | None) -> str | None:
    """A trimmed UH string, or None when blank (UH defaults `char` columns to a space)."""
    if value is None:
        return None
    trimmed = value.strip()
    return trimmed or None
