"""Provenance per watch: stolen-register checks with their certificate file, box-and-papers
documents and photos (files copied into the data folder), and with whom and since when a
watch is on memo or in service.

Revision ID: 0004_provenance
Revises: 0003
Create Date: 2026-12-01 21:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004_provenance"
down_revision: str | Sequence[str] | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("watches") as batch:
        batch.add_column(
            sa.Column("away_with", sa.String(length=200), nullable=False, server_default="")
        )
        batch.add_column(sa.Column("away_since", sa.Date(), nullable=True))
    op.create_table(
        "provenance_checks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("profile_id", sa.Integer(), nullable=False),
        sa.Column("watch_id", sa.Integer(), nullable=False),
        sa.Column("register", sa.String(length=120), nullable=False),
        sa.Column("checked_on", sa.Date(), nullable=False),
        sa.Column("certificate_number", sa.String(length=80), nullable=False),
        sa.Column("certificate_name", sa.String(length=255), nullable=False),
        sa.Column("certificate_file", sa.String(length=400), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["profile_id"],
            ["profiles.id"],
            name="fk_provenance_checks_profile_id_profiles",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["watch_id"],
            ["watches.id"],
            name="fk_provenance_checks_watch_id_watches",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_provenance_checks"),
    )
    op.create_index("ix_provenance_checks_watch", "provenance_checks", ["watch_id", "checked_on"])
    op.create_table(
        "watch_documents",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("profile_id", sa.Integer(), nullable=False),
        sa.Column("watch_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("original_name", sa.String(length=255), nullable=False),
        sa.Column("stored_file", sa.String(length=400), nullable=False),
        sa.Column("size_bytes", sa.BigInteger(), nullable=False),
        sa.Column("added_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["profile_id"],
            ["profiles.id"],
            name="fk_watch_documents_profile_id_profiles",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["watch_id"],
            ["watches.id"],
            name="fk_watch_documents_watch_id_watches",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_watch_documents"),
    )
    op.create_index("ix_watch_documents_watch", "watch_documents", ["watch_id", "kind"])


def downgrade() -> None:
    op.drop_index("ix_watch_documents_watch", table_name="watch_documents")
    op.drop_table("watch_documents")
    op.drop_index("ix_provenance_checks_watch", table_name="provenance_checks")
    op.drop_table("provenance_checks")
    with op.batch_alter_table("watches") as batch:
        batch.drop_column("away_since")
        batch.drop_column("away_with")
