"""`make token ROLE=rent|leasehold|team-leader|read-only|service`: print a bearer token for
calling the APIs with curl in AUTH_MODE=dev."""

from __future__ import annotations

import argparse
import datetime as dt
import sys

from ma_shared.auth import DEV_ROLE_GROUPS, mint_dev_token, mint_service_token
from ma_shared.settings import AuthMode, ServiceSettings


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("role", choices=[*DEV_ROLE_GROUPS, "service"])
    parser.add_argument("--service-name", default="income-api")
    args = parser.parse_args(argv)
    settings = ServiceSettings()
    if settings.auth_mode is not AuthMode.DEV:
        sys.stderr.write("Tokens can only be minted here when AUTH_MODE=dev.\n")
        return 2
    if args.role == "service":
        token = mint_service_token(
            args.service_name,
            settings.service_jwt_secret.get_secret_value(),
            dt.timedelta(hours=12),
        )
    else:
        token = mint_dev_token(args.role, settings)
    sys.stdout.write(token + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
