"""Court outcomes as the letters need them (the codes themselves are shared: income-rules §3.4)."""

from __future__ import annotations

from ma_shared.vocabulary import COURT_OUTCOME_DESCRIPTIONS, CourtOutcome

__all__ = ["COURT_OUTCOME_DESCRIPTIONS", "OUTRIGHT_POSSESSION_ORDERS", "CourtOutcome"]


# Orders that end the tenancy: the court outcome letter then tells the tenant about eviction.
OUTRIGHT_POSSESSION_ORDERS = frozenset(
    {CourtOutcome.OUTRIGHT_POSSESSION_FORTHWITH, CourtOutcome.OUTRIGHT_POSSESSION_WITH_DATE}
)
