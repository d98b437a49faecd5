"""The invoice windows' values made from the database's rows (views.py holds the values)."""

from __future__ import annotations

import datetime as dt
import json
import os
from collections.abc import Mapping

from tracker_desktop.db.models import Invoice, InvoiceEvent
from tracker_desktop.db.repositories.invoice_history import HistoryRecord
from tracker_desktop.db.sale_models import TradeIn as TradeInRow
from tracker_desktop.domain.draft import TradeIn
from tracker_desktop.domain.invoice_state import (
    Action,
    DisplayStatus,
    InvoiceState,
    check_action,
    display_status,
)
from tracker_desktop.domain.money import Money
from tracker_desktop.domain.validation import PostalAddress
from tracker_desktop.services.credit.credit_plan import why_not
from tracker_desktop.services.credit.credit_views import totals_of, views_of
from tracker_desktop.services.invoicing.push import PushStep
from tracker_desktop.services.invoicing.state_moves import LABELS
from tracker_desktop.services.invoicing.views import (
    InvoiceDetail,
    InvoiceLineView,
    InvoiceRow,
    TimelineEntry,
)


def status_of(invoice: Invoice, now: dt.datetime) -> DisplayStatus:
    return display_status(
        InvoiceState(invoice.state),
        invoice.due_at,
        now,
        processing=invoice.payment_processing,
        failed_message=invoice.payment_failed_message,
    )


def address_of(raw: str) -> PostalAddress | None:
    data = json.loads(raw or "{}")
    if not data:
        return None
    keys = PostalAddress.__dataclass_fields__
    return PostalAddress(**{k: str(v) for k, v in data.items() if k in keys})


def _timeline_order(event: InvoiceEvent) -> tuple[dt.datetime, int]:
    # Stripe's times are whole seconds: within one second, the order things were recorded.
    return (event.occurred_at.replace(microsecond=0), event.id)


def detail_of(invoice: Invoice, serials: Mapping[int, str], now: dt.datetime) -> InvoiceDetail:
    state = InvoiceState(invoice.state)
    cur = invoice.currency
    actions = {a: check_action(a, state, processing=invoice.payment_processing) for a in Action}
    return InvoiceDetail(
        id=invoice.id,
        uuid=invoice.uuid,
        state=state,
        status=status_of(invoice, now),
        number=invoice.number,
        contact_id=invoice.contact_id,
        customer_name=invoice.customer_name,
        customer_email=invoice.customer_email,
        customer_address=address_of(invoice.customer_address_json),
        currency=cur,
        total=Money(invoice.total_minor, cur),
        amount_paid=Money(invoice.amount_paid_minor, cur),
        amount_remaining=Money(invoice.amount_remaining_minor, cur),
        days_until_due=invoice.days_until_due,
        memo=invoice.memo,
        footer=invoice.footer,
        created_at=invoice.created_at,
        due_at=invoice.due_at,
        finalized_at=invoice.finalized_at,
        paid_at=invoice.paid_at,
        last_synced_at=invoice.last_synced_at,
        hosted_invoice_url=invoice.hosted_invoice_url,
        invoice_pdf_url=invoice.invoice_pdf_url,
        pdf_path=invoice.pdf_path,
        pdf_on_disk=bool(invoice.pdf_path) and os.path.isfile(invoice.pdf_path or ""),
        stripe_invoice_id=invoice.stripe_invoice_id,
        push_step=PushStep(invoice.push_step) if invoice.push_step else None,
        last_error=invoice.last_error,
        payment_processing=invoice.payment_processing,
        payment_failed_message=invoice.payment_failed_message,
        paid_out_of_band_note=invoice.paid_out_of_band_note,
        lines=tuple(
            InvoiceLineView(
                position=ln.position,
                description=ln.description,
                quantity=ln.quantity,
                unit_price=Money(ln.unit_amount_minor, cur),
                amount=Money(ln.unit_amount_minor * ln.quantity, cur),
                watch_id=ln.watch_id,
                watch_serial=serials.get(ln.watch_id) if ln.watch_id is not None else None,
                trade_in=_trade_in(ln.trade_in),
            )
            for ln in invoice.lines
        ),
        timeline=tuple(
            TimelineEntry(e.kind, LABELS.get(e.kind, e.kind), e.occurred_at, e.detail)
            for e in sorted(invoice.events, key=_timeline_order)
        ),
        actions=actions,
        credit_notes=views_of(invoice),
        credits=totals_of(invoice),
        credit_blocked=why_not(invoice) or "",
    )


def row_of(record: HistoryRecord, now: dt.datetime) -> InvoiceRow:
    return InvoiceRow(
        id=record.id,
        number=record.number,
        customer_name=record.customer_name,
        total=Money(record.total_minor, record.currency),
        state=InvoiceState(record.state),
        status=display_status(
            InvoiceState(record.state),
            record.due_at,
            now,
            processing=record.payment_processing,
            failed_message=record.payment_failed_message,
        ),
        created_at=record.created_at,
        due_at=record.due_at,
        last_synced_at=record.last_synced_at,
        serials=record.serials,
    )


def _trade_in(row: TradeInRow | None) -> TradeIn | None:
    if row is None:
        return None
    return TradeIn(row.brand, row.model, row.serial, row.reference, row.year)
