"""The invoice history as CSV, with the filters the dealer has on screen.

For an accountant's spreadsheet: UTF-8 with a BOM (Excel then reads accents right), amounts
as plain decimal strings in major units from Money ("128850.00", JPY "128850"), dates in
the dealer's own time zone. Credit notes are columns of their invoice's row (credited,
refunded, returned outside Stripe, net and their numbers), so a row stays one sale. Read
page by page in one session, never the whole history at once. Text a person typed is
guarded against CSV formula injection (OWASP): a cell starting with = + - @ (or a tab /
carriage return) gets a leading apostrophe, so a spreadsheet shows it instead of running it.
"""

from __future__ import annotations

import csv
import datetime as dt
import os
from collections.abc import Callable, Iterator
from pathlib import Path

from sqlalchemy.orm import Session, sessionmaker

from tracker_desktop.db.models import Invoice, utcnow
from tracker_desktop.domain.errors import TrackerError
from tracker_desktop.domain.money import Money
from tracker_desktop.services.credit.credit_views import totals_of
from tracker_desktop.services.credit.values import CreditNoteState
from tracker_desktop.services.invoicing import history as invoice_history
from tracker_desktop.services.invoicing.view_making import status_of
from tracker_desktop.services.invoicing.views import InvoiceFilters

HEADER = (
    "Number",
    "Client",
    "Email",
    "Currency",
    "Total",
    "Amount paid",
    "Status",
    "Created",
    "Due",
    "Paid at",
    "Stripe invoice",
    "Serials",
    # Credit notes, one column each (issued ones; void and refused ones count for nothing):
    # what they took off, what went back to the payment, what went back outside Stripe,
    # the total less the credits, and their numbers.
    "Credited",
    "Refunded",
    "Returned outside Stripe",
    "Net",
    "Credit notes",
)
PAGE = 500
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(text: str) -> str:
    """Neutralise a spreadsheet formula in typed text (OWASP CSV injection)."""
    return "'" + text if text.startswith(_FORMULA_START) else text


def decimal_amount(money: Money) -> str:
    """Major units as a plain decimal string, with exactly the currency's decimals."""
    return format(money.to_major(), "f")


class InvoiceExporter:
    """Writes the history of one profile to a CSV file. `tz` is the dealer's time zone
    (None: this computer's); `clock` decides what is overdue (aware UTC)."""

    def __init__(
        self,
        session_factory: sessionmaker[Session],
        *,
        clock: Callable[[], dt.datetime] | None = None,
        tz: dt.tzinfo | None = None,
    ) -> None:
        self._sessions = session_factory
        self._clock = clock or utcnow
        self._tz = tz

    def write_csv(
        self, profile_id: int, filters: InvoiceFilters | None, path: str | os.PathLike[str]
    ) -> int:
        """Write every invoice matching `filters`, in their order; returns how many. The file
        appears whole or not at all (written beside it, then renamed). Raises TrackerError
        with the system's reason when the file cannot be written."""
        target = Path(path)
        temp = target.with_name(f".{target.name}.part")
        count = 0
        try:
            with open(temp, "w", encoding="utf-8-sig", newline="") as out:
                writer = csv.writer(out)
                writer.writerow(HEADER)
                for row in self.rows(profile_id, filters or InvoiceFilters()):
                    writer.writerow(row)
                    count += 1
            os.replace(temp, target)
        except OSError as exc:
            temp.unlink(missing_ok=True)
            raise TrackerError(
                f"The CSV file could not be written to {target}: {exc.strerror or exc}"
            ) from exc
        return count

    def rows(self, profile_id: int, filters: InvoiceFilters) -> Iterator[list[str]]:
        """The CSV rows (without the header) in the window's order, PAGE invoices at a time."""
        now = self._clock()
        query = invoice_history.history_query(profile_id, filters, now)
        # One session (one read transaction): the pages are of one consistent history.
        with self._sessions() as session:
            for batch, serials in invoice_history.whole_invoices(session, query, PAGE):
                for invoice in batch:
                    yield self._row(invoice, serials, now)
                session.expunge_all()  # keep memory flat over a long history

    def _row(self, inv: Invoice, serials: dict[int, str], now: dt.datetime) -> list[str]:
        on_lines = [serials[ln.watch_id] for ln in inv.lines if ln.watch_id in serials]
        credits = totals_of(inv)
        issued = [n for n in inv.credit_notes if n.state == CreditNoteState.ISSUED]
        numbers = [n.number or n.stripe_credit_note_id or "" for n in issued]
        return [
            safe_cell(inv.number or ""),
            safe_cell(inv.customer_name),
            safe_cell(inv.customer_email),
            inv.currency,
            decimal_amount(Money(inv.total_minor, inv.currency)),
            decimal_amount(Money(inv.amount_paid_minor, inv.currency)),
            status_of(inv, now).label,
            self._date(inv.created_at),
            self._date(inv.due_at),
            self._moment(inv.paid_at),
            inv.stripe_invoice_id or "",
            safe_cell("; ".join(on_lines)),
            decimal_amount(credits.credited),
            decimal_amount(credits.refunded),
            decimal_amount(credits.out_of_band),
            decimal_amount(credits.net),
            safe_cell("; ".join(numbers)),
        ]

    def _date(self, moment: dt.datetime | None) -> str:
        return moment.astimezone(self._tz).date().isoformat() if moment is not None else ""

    def _moment(self, moment: dt.datetime | None) -> str:
        if moment is None:
            return ""
        return moment.astimezone(self._tz).isoformat(timespec="seconds")
