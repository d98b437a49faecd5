"""Migration 0003 (history search) on a database the previous version made: the invoices
already there are found by every field, and the index follows later writes."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from alembic import command
from sqlalchemy import inspect

from tests.old_versions import PROFILE, database_at, paid_sale_rows, watch_row
from tracker_desktop.db.engine import make_engine, make_session_factory, session_scope
from tracker_desktop.db.migrate import make_alembic_config, prepare_database
from tracker_desktop.db.models import Invoice
from tracker_desktop.services.invoicing.invoice_service import InvoiceFilters, InvoiceService

# What the previous version (revision 0002) wrote, in its own columns.
PREVIOUS_VERSION_ROWS = (
    PROFILE
    + watch_row("sold")
    + paid_sale_rows(memo="Abgeholt in der Bahnhofstraße")
    + """
INSERT INTO invoices (id, uuid, profile_id, customer_name, customer_email,
    customer_address_json, currency, days_until_due, memo, footer, state, number,
    total_minor, amount_paid_minor, amount_remaining_minor, payment_processing, created_at,
    updated_at) VALUES
    (2, 'c4d1a9e2-0000-4000-8000-000000000002', 1, 'Kenji Watanabe', 'k@example.jp', '{}',
     'CHF', 14, '', '', 'local_draft', NULL, 25000, 0, 0, 0, '2025-12-01 10:00:00.000000',
     '2025-12-01 10:00:00.000000');
INSERT INTO invoice_lines (id, invoice_id, position, watch_id, description, quantity,
    unit_amount_minor) VALUES (3, 2, 0, NULL, 'Bracelet sizing', 1, 25000);
"""
)


def _no_stripe(_profile_id: int) -> Any:
    raise AssertionError("no Stripe in these tests")


def test_invoices_made_by_the_previous_version_are_found(tmp_path: Path) -> None:
    url, db_file = database_at(tmp_path, "0002", PREVIOUS_VERSION_ROWS)
    report = prepare_database(url, db_file, tmp_path / "backups")
    assert (report.outcome, report.previous_revision) == ("upgraded", "0002")
    engine = make_engine(url)
    service = InvoiceService(make_session_factory(engine), _no_stripe)

    def found(typed: str = "", serial: str = "") -> list[int]:
        page = service.list(1, InvoiceFilters(text=typed, serial=serial))
        return [row.id for row in page.rows]

    try:
        for typed in ("2025-0193", "ZOE", "schafer", "zoe@example", "bahnhofstrasse",
                      "LANGE & SOHNE", "insured", "l1-1910"):  # fmt: skip
            assert found(typed) == [1], typed
        assert found("bracelet") == [2]
        assert found(serial="191032") == [1]
        assert found("k@ex") == [2]

        # Later writes keep the index in step, through the ORM hook and the triggers.
        with session_scope(service._sessions, write=True) as session:
            draft = session.get(Invoice, 2)
            assert draft is not None
            draft.memo = "Pick-up in Genève"
        assert found("geneve") == [2]
        service.delete_draft(1, 2)
        assert found("bracelet") == []
        with engine.connect() as conn:
            conn.exec_driver_sql(
                "INSERT INTO invoice_search(invoice_search) VALUES ('integrity-check')"
            )
    finally:
        engine.dispose()


def test_the_search_triggers_exist_at_head(tmp_path: Path) -> None:
    """A later migration that rebuilds `invoices` (Alembic's batch mode on SQLite) drops
    its triggers with it, and the index would go stale quietly: this catches that."""
    url, db_file = f"sqlite:///{tmp_path / 'fresh.sqlite3'}", tmp_path / "fresh.sqlite3"
    prepare_database(url, db_file, tmp_path / "backups")
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            triggers = {
                row[0]
                for row in conn.exec_driver_sql(
                    "SELECT name FROM sqlite_master WHERE type = 'trigger' "
                    "AND tbl_name = 'invoices'"
                )
            }
            assert {"invoice_search_insert", "invoice_search_delete",
                    "invoice_search_update"} <= triggers  # fmt: skip
            columns = {c["name"] for c in inspect(conn).get_columns("invoices")}
            assert {"search_text", "search_serials"} <= columns
    finally:
        engine.dispose()


def test_downgrade_to_the_previous_version_and_back(tmp_path: Path) -> None:
    url, db_file = database_at(tmp_path, "0002", PREVIOUS_VERSION_ROWS)
    prepare_database(url, db_file, tmp_path / "backups")
    command.downgrade(make_alembic_config(url=url), "0002")
    engine = make_engine(url)
    with engine.connect() as conn:
        tables = set(inspect(conn).get_table_names())
        assert "invoice_search" not in tables
        columns = {c["name"] for c in inspect(conn).get_columns("invoices")}
        assert "search_text" not in columns
    engine.dispose()
    prepare_database(url, db_file, tmp_path / "backups")
    engine = make_engine(url)
    service = InvoiceService(make_session_factory(engine), _no_stripe)
    assert [r.id for r in service.list(1, InvoiceFilters(text="schäfer")).rows] == [1]
    engine.dispose()
