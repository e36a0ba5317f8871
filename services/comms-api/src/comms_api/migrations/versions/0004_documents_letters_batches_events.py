"""documents, letters, letter batches and the comms events outbox

Revision ID: 0004
Revises: 0003
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from ma_shared.database import UtcDateTime

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "comms_events",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("event_type", sa.String(length=60), nullable=False),
        sa.Column("entity_id", sa.String(length=36), nullable=False),
        sa.Column("envelope", sa.JSON(), nullable=False),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.Column("published_at", UtcDateTime(), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", UtcDateTime(), nullable=False),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_comms_events")),
    )
    with op.batch_alter_table("comms_events", schema=None) as batch_op:
        batch_op.create_index(
            "ix_comms_events_due", ["published_at", "next_attempt_at"], unique=False
        )

    op.create_table(
        "documents",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("message_id", sa.String(length=36), nullable=True),
        sa.Column("payment_ref", sa.String(length=20), nullable=True),
        sa.Column("tenancy_ref", sa.String(length=11), nullable=True),
        sa.Column("template_id", sa.String(length=100), nullable=True),
        sa.Column("template_name", sa.String(length=200), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("status", sa.String(length=30), nullable=False),
        sa.Column("storage_key", sa.String(length=500), nullable=False),
        sa.Column("filename", sa.String(length=255), nullable=False),
        sa.Column("content_type", sa.String(length=100), nullable=False),
        sa.Column("size_bytes", sa.Integer(), nullable=False),
        sa.Column("created_by", sa.String(length=200), nullable=False),
        sa.Column("document_date", sa.Date(), nullable=False),
        sa.Column("import_key", sa.String(length=64), nullable=True),
        sa.Column("failure_reviewed_by", sa.String(length=200), nullable=True),
        sa.Column("failure_reviewed_at", UtcDateTime(), nullable=True),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.Column("updated_at", UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_documents")),
        sa.UniqueConstraint("import_key", name=op.f("uq_documents_import_key")),
        sa.UniqueConstraint("message_id", name=op.f("uq_documents_message_id")),
    )
    with op.batch_alter_table("documents", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_documents_payment_ref"), ["payment_ref"], unique=False)
        batch_op.create_index(batch_op.f("ix_documents_status"), ["status"], unique=False)
        batch_op.create_index(batch_op.f("ix_documents_template_id"), ["template_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_documents_tenancy_ref"), ["tenancy_ref"], unique=False)

    op.create_table(
        "letter_batch_rows",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("batch_id", sa.String(length=36), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("payment_ref", sa.String(length=40), nullable=False),
        sa.Column("tenancy_ref", sa.String(length=11), nullable=True),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("problems", sa.JSON(), nullable=False),
        sa.Column("letter_fields", sa.JSON(), nullable=False),
        sa.Column("message_id", sa.String(length=36), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_letter_batch_rows")),
        sa.UniqueConstraint(
            "batch_id", "position", name=op.f("uq_letter_batch_rows_batch_id_position")
        ),
    )
    with op.batch_alter_table("letter_batch_rows", schema=None) as batch_op:
        batch_op.create_index("ix_letter_batch_rows_status", ["status"], unique=False)

    op.create_table(
        "letter_batches",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("template_id", sa.String(length=100), nullable=False),
        sa.Column("template_name", sa.String(length=200), nullable=False),
        sa.Column("service_area", sa.String(length=10), nullable=False),
        sa.Column("fields", sa.JSON(), nullable=False),
        sa.Column("row_count", sa.Integer(), nullable=False),
        sa.Column("valid_count", sa.Integer(), nullable=False),
        sa.Column("created_by", sa.String(length=200), nullable=False),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.Column("send_requested_by", sa.String(length=200), nullable=True),
        sa.Column("send_requested_at", UtcDateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_letter_batches")),
    )
    with op.batch_alter_table("diary_entries", schema=None) as batch_op:
        batch_op.alter_column("message_id", existing_type=sa.VARCHAR(length=36), nullable=True)
        batch_op.drop_constraint(batch_op.f("uq_diary_entries_message_id"), type_="unique")
        batch_op.create_index(
            batch_op.f("ix_diary_entries_message_id"), ["message_id"], unique=False
        )

    with op.batch_alter_table("messages", schema=None) as batch_op:
        batch_op.add_column(sa.Column("payment_ref", sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column("document_id", sa.String(length=36), nullable=True))
        batch_op.add_column(sa.Column("postage", sa.String(length=10), nullable=True))
        batch_op.alter_column(
            "template_id",
            existing_type=sa.VARCHAR(length=36),
            type_=sa.String(length=100),
            existing_nullable=False,
        )


def downgrade() -> None:
    with op.batch_alter_table("messages", schema=None) as batch_op:
        batch_op.alter_column(
            "template_id",
            existing_type=sa.String(length=100),
            type_=sa.VARCHAR(length=36),
            existing_nullable=False,
        )
        batch_op.drop_column("postage")
        batch_op.drop_column("document_id")
        batch_op.drop_column("payment_ref")

    with op.batch_alter_table("diary_entries", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_diary_entries_message_id"))
        batch_op.create_unique_constraint(batch_op.f("uq_diary_entries_message_id"), ["message_id"])
        batch_op.alter_column("message_id", existing_type=sa.VARCHAR(length=36), nullable=False)

    op.drop_table("letter_batches")
    with op.batch_alter_table("letter_batch_rows", schema=None) as batch_op:
        batch_op.drop_index("ix_letter_batch_rows_status")

    op.drop_table("letter_batch_rows")
    with op.batch_alter_table("documents", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_documents_tenancy_ref"))
        batch_op.drop_index(batch_op.f("ix_documents_template_id"))
        batch_op.drop_index(batch_op.f("ix_documents_status"))
        batch_op.drop_index(batch_op.f("ix_documents_payment_ref"))

    op.drop_table("documents")
    with op.batch_alter_table("comms_events", schema=None) as batch_op:
        batch_op.drop_index("ix_comms_events_due")

    op.drop_table("comms_events")
