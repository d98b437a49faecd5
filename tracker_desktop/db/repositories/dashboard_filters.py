"""The rows every Dashboard sum starts from: a profile's paid invoices made in a range."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ColumnElement, literal

from tracker_desktop.db.column_types import UTCDateTime
from tracker_desktop.db.models import Invoice
from tracker_desktop.domain.invoice_state import InvoiceState


def at(moment: dt.datetime) -> ColumnElement[dt.datetime]:
    return literal(moment, UTCDateTime())


def paid_within(profile_id: int, start: dt.datetime, end: dt.datetime) -> list[ColumnElement[bool]]:
    return [
        Invoice.profile_id == profile_id,
        Invoice.state == InvoiceState.PAID,
        Invoice.created_at >= at(start),
        Invoice.created_at < at(end),
    ]
