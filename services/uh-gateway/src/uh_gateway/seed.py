"""`uh-gateway-seed`: build the simulated UH database.

    uh-gateway-seed [--profile test|run|bench] [--rent-accounts N] [--leasehold-accounts N]
                    [--database-url URL] [--as-of YYYY-MM-DD] [--seed INT]
                    [--force | --if-absent]

Profiles: test (300 rent + 100 leasehold accounts), run (5,000 + 1,500, the default) and
bench (30,000 + 10,000). `--rent-accounts` alone sets leasehold to a third of it.
"""

from __future__ import annotations

import argparse
import datetime as dt
import logging
import sys
from collections.abc import Sequence

from ma_shared.structured_logging import configure_logging
from uh_gateway.settings import get_settings
from uh_gateway.simulator import (
    DEFAULT_PROFILE,
    DEFAULT_SEED,
    PROFILES,
    SimulatorAlreadyBuilt,
    SimulatorSize,
    build_simulator,
)

logger = logging.getLogger("uh_gateway.seed")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="uh-gateway-seed", description="Build the simulated Universal Housing database."
    )
    parser.add_argument("--profile", choices=sorted(PROFILES), default=DEFAULT_PROFILE)
    parser.add_argument("--rent-accounts", type=int, help="rent accounts (overrides the profile)")
    parser.add_argument(
        "--leasehold-accounts",
        type=int,
        help="leasehold accounts (default: the profile's, or a third of --rent-accounts)",
    )
    parser.add_argument("--database-url", help="default: UH_DATABASE_URL from the settings")
    parser.add_argument(
        "--as-of",
        type=dt.date.fromisoformat,
        help="the simulated 'today' (YYYY-MM-DD; default: today, UTC)",
    )
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    existing = parser.add_mutually_exclusive_group()
    existing.add_argument("--force", action="store_true", help="rebuild an existing database")
    existing.add_argument(
        "--if-absent", action="store_true", help="do nothing if the database is already built"
    )
    return parser


def size_from(
    profile: str, rent_accounts: int | None, leasehold_accounts: int | None
) -> SimulatorSize:
    base = PROFILES[profile]
    if rent_accounts is None:
        rent = base.rent_accounts
        leasehold = base.leasehold_accounts if leasehold_accounts is None else leasehold_accounts
    else:
        rent = rent_accounts
        leasehold = rent_accounts // 3 if leasehold_accounts is None else leasehold_accounts
    return SimulatorSize(rent_accounts=rent, leasehold_accounts=leasehold)


def main(argv: Sequence[str] | None = None) -> int:
    arguments = _parser().parse_args(argv)
    settings = get_settings()
    configure_logging(
        "uh-gateway-seed", settings.environment, settings.log_level, as_json=settings.log_json
    )
    size = size_from(arguments.profile, arguments.rent_accounts, arguments.leasehold_accounts)
    database_url = arguments.database_url or settings.uh_database_url
    try:
        report = build_simulator(
            database_url,
            size=size,
            as_of=arguments.as_of,
            seed=arguments.seed,
            force=arguments.force,
            if_absent=arguments.if_absent,
        )
    except SimulatorAlreadyBuilt as error:
        logger.error("%s", error)
        return 1
    print(report.summary())
    return 0


if __name__ == "__main__":
    sys.exit(main())
