"""The yearly sales goal of each profile (the Dashboard's): an amount in minor units and its
currency, both empty until the dealer sets one (the default is 100,000 in the profile's
currency, worked out where it is read, since the minor units depend on the currency); and
two covering indexes, so the Dashboard's sums of a year read no table rows.

Revision ID: 0006_sales_goal
Revises: 0005_credit_notes
Create Date: 2026-12-01 20:50:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006_sales_goal"
down_revision: str | Sequence[str] | None = "0005_credit_notes"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Plain ADD COLUMN (no batch rebuild): the FTS triggers of 0003 live on invoices, not here,
    # and SQLite and PostgreSQL both add a nullable column in place.
    op.add_column("profiles", sa.Column("sales_goal_minor", sa.BigInteger(), nullable=True))
    op.add_column("profiles", sa.Column("sales_goal_currency", sa.String(length=3), nullable=True))
    op.create_index(
        "ix_invoices_dashboard",
        "invoices",
        ["profile_id", "state", "created_at", "currency", "total_minor", "contact_id"],
    )
    op.create_index(
        "ix_invoice_lines_sold",
        "invoice_lines",
        ["invoice_id", "watch_id", "quantity", "unit_amount_minor"],
    )


def downgrade() -> None:
    op.drop_index("ix_invoice_lines_sold", table_name="invoice_lines")
    op.drop_index("ix_invoices_dashboard", table_name="invoices")
    with op.batch_alter_table("profiles") as batch:
        batch.drop_column("sales_goal_currency")
        batch.drop_column("sales_goal_minor")
