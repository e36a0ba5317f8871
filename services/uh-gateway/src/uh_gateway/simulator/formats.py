"""How simulator rows are written: one function per UH column type.

The generator builds every row as a tuple already in the form the SQLite side of the column
types in `uh_gateway.gateways.uh_types` stores (the "canonical" form), so the SQLite writer can
hand rows to `executemany` untouched:

* `UHChar(n)`: the text space-padded to n;
* `Money`: integer pence (the generator works in pence throughout, so there is nothing to
  convert for SQLite);
* `SmallDateTime`: 'YYYY-MM-DD HH:MM:SS' text (minute precision), the 1900-01-01 sentinel for
  "no date";
* `Boolean` (UH `bit`): 0 or 1.

The PostgreSQL writer converts the same tuples with `postgres_converters`, so both databases
receive the same values.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import Any

from sqlalchemy import Boolean, Table

from ma_shared.database import Money
from uh_gateway.gateways.uh_types import NO_DATE, SQLITE_DATETIME_FORMAT

NO_DATE_TEXT = NO_DATE.strftime(SQLITE_DATETIME_FORMAT)

Converter = Callable[[Any], Any]


def uh_char(value: str, length: int) -> str:
    """`char(n)`: padded to n; longer values are a generator bug, not something to truncate."""
    if len(value) > length:
        raise ValueError(f"{value!r} does not fit char({length})")
    return value.ljust(length)


def smalldatetime(value: dt.datetime | dt.date | None) -> str:
    """`smalldatetime`: minute precision; None becomes UH's 1900-01-01 "no date" sentinel."""
    if value is None:
        return NO_DATE_TEXT
    if not isinstance(value, dt.datetime):
        return f"{value.isoformat()} 00:00:00"
    return value.replace(second=0, microsecond=0).strftime(SQLITE_DATETIME_FORMAT)


def bit(flag: bool) -> int:
    return 1 if flag else 0


def postgres_money(pence: int | None) -> str | None:
    """Integer pence as the 'pounds.pence' text PostgreSQL's numeric(p,2) reads exactly."""
    if pence is None:
        return None
    sign = "-" if pence < 0 else ""
    pounds, rest = divmod(abs(pence), 100)
    return f"{sign}{pounds}.{rest:02d}"


def postgres_bit(flag: int | None) -> bool | None:
    return None if flag is None else bool(flag)


def postgres_converters(table: Table, columns: Sequence[str]) -> list[Converter | None]:
    """Per column, the conversion from the canonical form to what COPY reads (None: as is).

    char, text and the 'YYYY-MM-DD HH:MM:SS' dates are already what PostgreSQL expects.
    """
    converters: list[Converter | None] = []
    for name in columns:
        column_type = table.c[name].type
        if isinstance(column_type, Money):
            converters.append(postgres_money)
        elif isinstance(column_type, Boolean):
            converters.append(postgres_bit)
        else:
            converters.append(None)
    return converters
