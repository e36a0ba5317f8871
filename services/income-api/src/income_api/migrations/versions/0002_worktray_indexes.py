"""Worktray indexes that give each order and cover its count

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_cases_action"))
        batch_op.drop_index(batch_op.f("ix_cases_balance"))
        batch_op.drop_index(batch_op.f("ix_cases_patch"))
        batch_op.drop_index(batch_op.f("ix_cases_priority"))
        batch_op.create_index(
            "ix_cases_action_order",
            [
                "service_area",
                "recommended_action",
                sa.literal_column("balance DESC"),
                "is_paused_until",
            ],
            unique=False,
        )
        batch_op.create_index(
            "ix_cases_balance_order",
            ["service_area", sa.literal_column("balance DESC"), "action_rank", "is_paused_until"],
            unique=False,
        )
        batch_op.create_index(
            "ix_cases_days_order",
            ["service_area", sa.literal_column("days_since_last_payment DESC"), "action_rank"],
            unique=False,
        )
        batch_op.create_index(
            "ix_cases_patch_order",
            ["service_area", "patch_code", "action_rank", sa.literal_column("balance DESC")],
            unique=False,
        )
        batch_op.create_index(
            "ix_cases_priority_order",
            ["service_area", "action_rank", sa.literal_column("balance DESC"), "is_paused_until"],
            unique=False,
        )
        batch_op.create_index(
            "ix_cases_vulnerable",
            ["service_area", "has_vulnerability", "action_rank"],
            unique=False,
        )


def downgrade() -> None:
    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.drop_index("ix_cases_vulnerable")
        batch_op.drop_index("ix_cases_priority_order")
        batch_op.drop_index("ix_cases_patch_order")
        batch_op.drop_index("ix_cases_days_order")
        batch_op.drop_index("ix_cases_balance_order")
        batch_op.drop_index("ix_cases_action_order")
        batch_op.create_index(
            batch_op.f("ix_cases_priority"),
            ["service_area", "action_rank", "balance"],
            unique=False,
        )
        batch_op.create_index(
            batch_op.f("ix_cases_patch"), ["service_area", "patch_code", "balance"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_cases_balance"), ["service_area", "balance"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_cases_action"),
            ["service_area", "recommended_action", "balance"],
            unique=False,
        )
