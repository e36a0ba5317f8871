"""Alembic migrations for comms-api's database."""

from __future__ import annotations

from pathlib import Path

from ma_shared.database import upgrade_database

MIGRATIONS_DIR = Path(__file__).parent


def upgrade(database_url: str) -> None:
    upgrade_database(database_url, MIGRATIONS_DIR)
