"""The history window's filters as the repository's query, and one page of plain rows: shared
by the Invoices window (InvoiceService.list / count) and the CSV export, so both show the
same invoices in the same order."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from sqlalchemy.orm import Session

from tracker_desktop.db.models import Invoice
from tracker_desktop.db.repositories import invoice_history as history
from tracker_desktop.services.invoicing.view_making import row_of
from tracker_desktop.services.invoicing.views import InvoiceFilters, InvoicePage


def history_query(
    profile_id: int, filters: InvoiceFilters, now: dt.datetime
) -> history.HistoryQuery:
    return history.HistoryQuery(
        profile_id=profile_id,
        now=now,
        kinds=[k.value for k in filters.statuses],
        created_from=filters.created_from,
        created_before=filters.created_before,
        contact_id=filters.contact_id,
        serial=filters.serial,
        text=filters.text,
        sort=filters.sort.value,
        descending=filters.descending,
    )


def read_page(
    session: Session,
    query: history.HistoryQuery,
    *,
    offset: int,
    limit: int,
    with_total: bool,
) -> InvoicePage:
    stmt = history.history_query(session, query)
    ids, more = history.page_ids(session, stmt, query, offset=offset, limit=limit)
    rows = tuple(row_of(record, query.now) for record in history.records(session, ids))
    total = count(session, query) if with_total else None
    return InvoicePage(rows, total, max(offset, 0), limit, more)


def count(session: Session, query: history.HistoryQuery) -> int:
    return history.history_count(session, history.history_query(session, query, counting=True))


def whole_invoices(
    session: Session, query: history.HistoryQuery, page: int
) -> Iterator[tuple[list[Invoice], dict[int, str]]]:
    """Every matching invoice in order, `page` at a time, with the serials of their watches.
    The caller may expunge each batch once used."""
    stmt = history.history_query(session, query)
    offset = 0
    while True:
        ids, more = history.page_ids(session, stmt, query, offset=offset, limit=page)
        batch = history.invoices(session, ids)
        watch_ids = {ln.watch_id for i in batch for ln in i.lines if ln.watch_id is not None}
        yield batch, history.serials_by_watch(session, watch_ids)
        if not more or not ids:
            return
        offset += len(ids)
