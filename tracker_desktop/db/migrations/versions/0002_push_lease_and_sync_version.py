"""Push ownership (a lease with owner and expiry), the push's start time, and the fetch time
of the last Stripe snapshot applied to each invoice (a compare-and-set guard for pollers).

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-01 14:50:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | Sequence[str] | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("invoices") as batch:
        batch.add_column(sa.Column("push_owner", sa.String(length=64), nullable=True))
        batch.add_column(sa.Column("push_lease_until", sa.DateTime(), nullable=True))
        batch.add_column(sa.Column("push_started_at", sa.DateTime(), nullable=True))
        batch.add_column(sa.Column("remote_fetched_at", sa.DateTime(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("invoices") as batch:
        batch.drop_column("remote_fetched_at")
        batch.drop_column("push_started_at")
        batch.drop_column("push_lease_until")
        batch.drop_column("push_owner")
