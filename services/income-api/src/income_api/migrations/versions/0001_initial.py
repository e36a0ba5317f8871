"""Cases, agreements, court cases, evictions, vulnerabilities, patch assignments, job runs, outbox

Revision ID: 0001
Revises:
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from ma_shared.database import Money, UtcDateTime

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "cases",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("tenancy_ref", sa.String(length=11), nullable=False),
        sa.Column("service_area", sa.String(length=10), nullable=False),
        sa.Column("payment_ref", sa.String(length=20), nullable=True),
        sa.Column("patch_code", sa.String(length=10), nullable=True),
        sa.Column("balance", Money(12), nullable=False),
        sa.Column("collectable_arrears", Money(12), nullable=True),
        sa.Column("weekly_gross_rent", Money(12), nullable=True),
        sa.Column("total_payment_amount_in_week", Money(12), nullable=True),
        sa.Column("weeks_of_rent_owed", Money(12), nullable=True),
        sa.Column("last_payment_date", sa.Date(), nullable=True),
        sa.Column("days_since_last_payment", sa.Integer(), nullable=True),
        sa.Column("last_communication_action", sa.String(length=3), nullable=True),
        sa.Column("last_communication_date", UtcDateTime(), nullable=True),
        sa.Column("nosp_served_date", sa.Date(), nullable=True),
        sa.Column("universal_credit", UtcDateTime(), nullable=True),
        sa.Column("uc_rent_verification", UtcDateTime(), nullable=True),
        sa.Column("uc_direct_payment_requested", UtcDateTime(), nullable=True),
        sa.Column("uc_direct_payment_received", UtcDateTime(), nullable=True),
        sa.Column("tenure", sa.String(length=3), nullable=True),
        sa.Column("tenure_type", sa.String(length=60), nullable=True),
        sa.Column("lessee", sa.String(length=200), nullable=True),
        sa.Column("property_address", sa.String(length=300), nullable=True),
        sa.Column("direct_debit_status", sa.String(length=60), nullable=True),
        sa.Column("direct_debit_amount", Money(12), nullable=True),
        sa.Column("latest_letter", sa.String(length=3), nullable=True),
        sa.Column("latest_letter_date", UtcDateTime(), nullable=True),
        sa.Column("money_judgement", Money(12), nullable=True),
        sa.Column("charging_order", Money(12), nullable=True),
        sa.Column("balance_in_dispute", Money(12), nullable=True),
        sa.Column("court_date", UtcDateTime(), nullable=True),
        sa.Column("court_outcome", sa.String(length=3), nullable=True),
        sa.Column("eviction_date", sa.Date(), nullable=True),
        sa.Column("agreement_state", sa.String(length=12), nullable=True),
        sa.Column("has_vulnerability", sa.Boolean(), nullable=False),
        sa.Column("latest_document_status", sa.String(length=30), nullable=True),
        sa.Column("latest_document_template_id", sa.String(length=100), nullable=True),
        sa.Column("latest_document_updated_at", UtcDateTime(), nullable=True),
        sa.Column("recommended_action", sa.String(length=40), nullable=False),
        sa.Column("action_rank", sa.Integer(), nullable=False),
        sa.Column("classification_rule", sa.String(length=60), nullable=False),
        sa.Column("classification_reason", sa.Text(), nullable=False),
        sa.Column("classification_changed_at", UtcDateTime(), nullable=False),
        sa.Column("previous_recommended_action", sa.String(length=40), nullable=True),
        sa.Column("is_paused_until", UtcDateTime(), nullable=True),
        sa.Column("pause_reason", sa.String(length=60), nullable=True),
        sa.Column("pause_comment", sa.Text(), nullable=True),
        sa.Column("paused_by", sa.String(length=200), nullable=True),
        sa.Column("synced_at", UtcDateTime(), nullable=False),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.Column("updated_at", UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cases")),
        sa.UniqueConstraint("tenancy_ref", name=op.f("uq_cases_tenancy_ref")),
    )
    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.create_index(
            "ix_cases_action", ["service_area", "recommended_action", "balance"], unique=False
        )
        batch_op.create_index("ix_cases_balance", ["service_area", "balance"], unique=False)
        batch_op.create_index("ix_cases_court_date", ["service_area", "court_date"], unique=False)
        batch_op.create_index(
            "ix_cases_eviction_date", ["service_area", "eviction_date"], unique=False
        )
        batch_op.create_index(
            "ix_cases_patch", ["service_area", "patch_code", "balance"], unique=False
        )
        batch_op.create_index("ix_cases_paused", ["service_area", "is_paused_until"], unique=False)
        batch_op.create_index(batch_op.f("ix_cases_payment_ref"), ["payment_ref"], unique=False)
        batch_op.create_index(
            "ix_cases_priority", ["service_area", "action_rank", "balance"], unique=False
        )

    op.create_table(
        "court_cases",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("tenancy_ref", sa.String(length=11), nullable=False),
        sa.Column("court_date", UtcDateTime(), nullable=True),
        sa.Column("court_outcome", sa.String(length=3), nullable=True),
        sa.Column("balance_on_court_outcome_date", Money(12), nullable=True),
        sa.Column("strike_out_date", sa.Date(), nullable=True),
        sa.Column("terms", sa.Boolean(), nullable=True),
        sa.Column("disrepair_counter_claim", sa.Boolean(), nullable=True),
        sa.Column("created_by", sa.String(length=200), nullable=False),
        sa.Column("updated_by", sa.String(length=200), nullable=False),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.Column("updated_at", UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_court_cases")),
    )
    with op.batch_alter_table("court_cases", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_court_cases_tenancy_ref"), ["tenancy_ref"], unique=False
        )

    op.create_table(
        "evictions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("tenancy_ref", sa.String(length=11), nullable=False),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("created_by", sa.String(length=200), nullable=False),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_evictions")),
    )
    with op.batch_alter_table("evictions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_evictions_tenancy_ref"), ["tenancy_ref"], unique=False)

    op.create_table(
        "job_runs",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("status", sa.String(length=30), nullable=False),
        sa.Column("triggered_by", sa.String(length=200), nullable=False),
        sa.Column("started_at", UtcDateTime(), nullable=False),
        sa.Column("finished_at", UtcDateTime(), nullable=True),
        sa.Column("heartbeat_at", UtcDateTime(), nullable=False),
        sa.Column("accounts_seen", sa.Integer(), nullable=False),
        sa.Column("cases_created", sa.Integer(), nullable=False),
        sa.Column("cases_changed", sa.Integer(), nullable=False),
        sa.Column("cases_deleted", sa.Integer(), nullable=False),
        sa.Column("classification_changes", sa.Integer(), nullable=False),
        sa.Column("agreements_checked", sa.Integer(), nullable=False),
        sa.Column("agreements_breached", sa.Integer(), nullable=False),
        sa.Column("error_count", sa.Integer(), nullable=False),
        sa.Column("by_recommended_action", sa.JSON(), nullable=False),
        sa.Column("errors", sa.JSON(), nullable=False),
        sa.Column("timings", sa.JSON(), nullable=False),
        sa.Column("changes_since", sa.String(length=100), nullable=True),
        sa.Column("changes_until", sa.String(length=100), nullable=True),
        sa.Column("message", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_job_runs")),
    )
    with op.batch_alter_table("job_runs", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_job_runs_started_at"), ["started_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_job_runs_status"), ["status"], unique=False)

    op.create_table(
        "outbox",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("idempotency_key", sa.String(length=80), nullable=False),
        sa.Column("tenancy_ref", sa.String(length=11), nullable=True),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", UtcDateTime(), nullable=False),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.Column("delivered_at", UtcDateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outbox")),
        sa.UniqueConstraint("idempotency_key", name=op.f("uq_outbox_idempotency_key")),
    )
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.create_index("ix_outbox_due", ["status", "next_attempt_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_outbox_tenancy_ref"), ["tenancy_ref"], unique=False)

    op.create_table(
        "patch_assignments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_email", sa.String(length=200), nullable=False),
        sa.Column("patch_code", sa.String(length=10), nullable=False),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_patch_assignments")),
    )
    with op.batch_alter_table("patch_assignments", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_patch_assignments_user_email"), ["user_email"], unique=False
        )
        batch_op.create_index("uq_patch_assignment", ["user_email", "patch_code"], unique=True)

    op.create_table(
        "vulnerabilities",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("tenancy_ref", sa.String(length=11), nullable=False),
        sa.Column("category", sa.String(length=40), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("review_date", sa.Date(), nullable=False),
        sa.Column("recorded_by", sa.String(length=200), nullable=False),
        sa.Column("recorded_at", UtcDateTime(), nullable=False),
        sa.Column("reviewed_by", sa.String(length=200), nullable=True),
        sa.Column("reviewed_at", UtcDateTime(), nullable=True),
        sa.Column("ended_at", UtcDateTime(), nullable=True),
        sa.Column("ended_by", sa.String(length=200), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_vulnerabilities")),
    )
    with op.batch_alter_table("vulnerabilities", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_vulnerabilities_tenancy_ref"), ["tenancy_ref"], unique=False
        )

    op.create_table(
        "agreements",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("tenancy_ref", sa.String(length=11), nullable=False),
        sa.Column("agreement_type", sa.String(length=10), nullable=False),
        sa.Column("starting_balance", Money(12), nullable=False),
        sa.Column("amount", Money(12), nullable=False),
        sa.Column("start_date", sa.Date(), nullable=False),
        sa.Column("frequency", sa.String(length=30), nullable=False),
        sa.Column("current_state", sa.String(length=12), nullable=False),
        sa.Column("court_case_id", sa.Integer(), nullable=True),
        sa.Column("initial_payment_amount", Money(12), nullable=True),
        sa.Column("initial_payment_date", sa.Date(), nullable=True),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("created_by", sa.String(length=200), nullable=False),
        sa.Column("cancelled_by", sa.String(length=200), nullable=True),
        sa.Column("cancellation_reason", sa.Text(), nullable=True),
        sa.Column("legacy_uh_id", sa.Integer(), nullable=True),
        sa.Column("last_checked_at", UtcDateTime(), nullable=True),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.Column("updated_at", UtcDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["court_case_id"],
            ["court_cases.id"],
            name=op.f("fk_agreements_court_case_id_court_cases"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_agreements")),
        sa.UniqueConstraint("legacy_uh_id", name=op.f("uq_agreements_legacy_uh_id")),
    )
    with op.batch_alter_table("agreements", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_agreements_tenancy_ref"), ["tenancy_ref"], unique=False
        )

    op.create_table(
        "agreement_states",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("agreement_id", sa.Integer(), nullable=False),
        sa.Column("state", sa.String(length=12), nullable=False),
        sa.Column("expected_balance", Money(12), nullable=True),
        sa.Column("checked_balance", Money(12), nullable=True),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["agreement_id"],
            ["agreements.id"],
            name=op.f("fk_agreement_states_agreement_id_agreements"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_agreement_states")),
    )
    with op.batch_alter_table("agreement_states", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_agreement_states_agreement_id"), ["agreement_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("agreement_states", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_agreement_states_agreement_id"))

    op.drop_table("agreement_states")
    with op.batch_alter_table("agreements", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_agreements_tenancy_ref"))

    op.drop_table("agreements")
    with op.batch_alter_table("vulnerabilities", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_vulnerabilities_tenancy_ref"))

    op.drop_table("vulnerabilities")
    with op.batch_alter_table("patch_assignments", schema=None) as batch_op:
        batch_op.drop_index("uq_patch_assignment")
        batch_op.drop_index(batch_op.f("ix_patch_assignments_user_email"))

    op.drop_table("patch_assignments")
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_outbox_tenancy_ref"))
        batch_op.drop_index("ix_outbox_due")

    op.drop_table("outbox")
    with op.batch_alter_table("job_runs", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_job_runs_status"))
        batch_op.drop_index(batch_op.f("ix_job_runs_started_at"))

    op.drop_table("job_runs")
    with op.batch_alter_table("evictions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_evictions_tenancy_ref"))

    op.drop_table("evictions")
    with op.batch_alter_table("court_cases", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_court_cases_tenancy_ref"))

    op.drop_table("court_cases")
    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.drop_index("ix_cases_priority")
        batch_op.drop_index(batch_op.f("ix_cases_payment_ref"))
        batch_op.drop_index("ix_cases_paused")
        batch_op.drop_index("ix_cases_patch")
        batch_op.drop_index("ix_cases_eviction_date")
        batch_op.drop_index("ix_cases_court_date")
        batch_op.drop_index("ix_cases_balance")
        batch_op.drop_index("ix_cases_action")

    op.drop_table("cases")
