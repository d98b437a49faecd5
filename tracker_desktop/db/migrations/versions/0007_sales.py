"""Sales over several invoices (deposit and balance, parts under Stripe's cap), trade-ins,
and the profile's deposit rule.

New tables only and plain added columns on `profiles`: `invoices` is not rebuilt, so its
search triggers stay as they are.

Revision ID: 0007_sales
Revises: 0006_sales_goal
Create Date: 2026-12-01 20:50:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007_sales"
down_revision: str | Sequence[str] | None = "0006_sales_goal"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("profiles") as batch:
        batch.add_column(sa.Column("deposit_threshold_minor", sa.BigInteger(), nullable=True))
        batch.add_column(sa.Column("deposit_fixed_minor", sa.BigInteger(), nullable=True))
        batch.add_column(sa.Column("deposit_percent_bp", sa.Integer(), nullable=True))
    op.create_table(
        "sales",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("profile_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("total_minor", sa.BigInteger(), nullable=False),
        sa.Column("cancelled_at", sa.DateTime(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["profile_id"],
            ["profiles.id"],
            name=op.f("fk_sales_profile_id_profiles"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sales")),
    )
    op.create_index(op.f("ix_sales_profile_id"), "sales", ["profile_id"])
    op.create_table(
        "sale_invoices",
        sa.Column("invoice_id", sa.Integer(), nullable=False),
        sa.Column("sale_id", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("part", sa.Integer(), nullable=False),
        sa.Column("parts", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["invoice_id"],
            ["invoices.id"],
            name=op.f("fk_sale_invoices_invoice_id_invoices"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["sale_id"],
            ["sales.id"],
            name=op.f("fk_sale_invoices_sale_id_sales"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("invoice_id", name=op.f("pk_sale_invoices")),
    )
    op.create_index(op.f("ix_sale_invoices_sale_id"), "sale_invoices", ["sale_id"])
    op.create_table(
        "trade_ins",
        sa.Column("invoice_line_id", sa.Integer(), nullable=False),
        sa.Column("brand", sa.String(length=120), nullable=False),
        sa.Column("model", sa.String(length=200), nullable=False),
        sa.Column("reference", sa.String(length=80), nullable=False),
        sa.Column("serial", sa.String(length=80), nullable=False),
        sa.Column("year", sa.Integer(), nullable=True),
        sa.Column("watch_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["invoice_line_id"],
            ["invoice_lines.id"],
            name=op.f("fk_trade_ins_invoice_line_id_invoice_lines"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["watch_id"],
            ["watches.id"],
            name=op.f("fk_trade_ins_watch_id_watches"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("invoice_line_id", name=op.f("pk_trade_ins")),
    )
    op.create_index(op.f("ix_trade_ins_watch_id"), "trade_ins", ["watch_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_trade_ins_watch_id"), table_name="trade_ins")
    op.drop_table("trade_ins")
    op.drop_index(op.f("ix_sale_invoices_sale_id"), table_name="sale_invoices")
    op.drop_table("sale_invoices")
    op.drop_index(op.f("ix_sales_profile_id"), table_name="sales")
    op.drop_table("sales")
    with op.batch_alter_table("profiles") as batch:
        batch.drop_column("deposit_percent_bp")
        batch.drop_column("deposit_fixed_minor")
        batch.drop_column("deposit_threshold_minor")
