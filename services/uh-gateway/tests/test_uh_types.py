"""UH column behaviours the simulator reproduces: exact money, padded chars, the no-date
sentinel and char lengths."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from sqlalchemy import Engine, select, text
from sqlalchemy.exc import StatementError

from uh_gateway.gateways.uh_schema import rtrans, tenagree
from uh_gateway.simulator.builders import make_tenancy, make_transaction


@pytest.mark.parametrize("amount", ["0.00", "0.05", "-1.20", "1049.99", "-99999.99"])
def test_money_comes_back_exactly_as_stored(uh_engine: Engine, amount: str) -> None:
    with uh_engine.begin() as conn:
        ref = make_tenancy(conn)
        make_transaction(conn, ref, "RPY", amount, dt.date(2026, 1, 5))
        stored = conn.execute(select(rtrans.c.real_value)).scalar_one()

    assert stored == Decimal(amount)
    assert str(stored) == amount


def test_char_columns_are_stored_padded_and_read_trimmed(uh_engine: Engine) -> None:
    with uh_engine.begin() as conn:
        ref = make_tenancy(conn, u_saff_rentacc="1938001204")
        raw = conn.execute(text("SELECT u_saff_rentacc || '|' FROM tenagree")).scalar_one()
        read = conn.execute(
            select(tenagree.c.u_saff_rentacc).where(tenagree.c.tag_ref == ref)
        ).scalar_one()

    if uh_engine.dialect.name == "sqlite":
        assert raw == "1938001204".ljust(20) + "|"
    assert read == "1938001204"


def test_a_value_too_long_for_its_char_column_is_refused(uh_engine: Engine) -> None:
    with pytest.raises(StatementError), uh_engine.begin() as conn:
        make_tenancy(conn, tenancy_ref="123456/01", u_court_outcome="TOOLONG")
