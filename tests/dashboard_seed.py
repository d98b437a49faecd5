"""A year of a dealer's sales in two currencies, written into the running app's database:
paid this year and last, open, overdue and processing invoices, voids and drafts that count
for nothing, and watches whose purchase cost is known, unknown or in another currency."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy.orm import Session, sessionmaker

from tracker_desktop.db.engine import session_scope
from tracker_desktop.db.models import Contact, Watch
from tracker_desktop.db.repositories.invoice_bulk import BulkInvoice, BulkLine, insert_invoices
from tracker_desktop.domain.invoice_state import InvoiceState

S = InvoiceState


@dataclass(frozen=True)
class SeededYear:
    contact_id: int  # Amelia Hart, a client
    january: tuple[int, ...]  # this year's paid invoices made in January (USD and EUR)
    overdue: tuple[int, ...]
    amelia_paid: tuple[int, ...]  # hers, paid this year
    oldest_open: int


def local(year: int, month: int, day: int) -> dt.datetime:
    return dt.datetime(year, month, day, 12).astimezone().astimezone(dt.UTC)


def seed_year(sessions: sessionmaker[Session], profile_id: int, now: dt.datetime) -> SeededYear:
    year = now.astimezone().year
    later = max(1, now.astimezone().month - 1)  # a month of this year already begun
    with session_scope(sessions, write=True) as session:
        amelia = Contact(profile_id=profile_id, name="Amelia Hart", email="amelia@example.com")
        session.add(amelia)
        session.flush()

        def watch(brand: str, serial: str, currency: str, cost: int | None) -> int:
            item = Watch(
                profile_id=profile_id,
                brand=brand,
                model="Model",
                serial=serial,
                currency=currency,
                purchase_cost_minor=cost,
            )
            session.add(item)
            session.flush()
            return item.id

        rolex = watch("Rolex", "DASH-1", "USD", 2_000_000)
        patek = watch("Patek Philippe", "DASH-2", "USD", None)  # cost not known
        omega = watch("Omega", "DASH-3", "EUR", 500_000)
        cartier = watch("Cartier", "DASH-4", "USD", 300_000)  # bought in USD, sold in EUR
        rolex_old = watch("Rolex", "DASH-5", "USD", 1_000_000)

        def paid(
            currency: str,
            name: str,
            when: dt.datetime,
            lines: tuple[BulkLine, ...],
            contact: int | None,
        ) -> BulkInvoice:
            total = sum(ln.unit_amount_minor * ln.quantity for ln in lines)
            return BulkInvoice(
                currency=currency,
                state=S.PAID,
                customer_name=name,
                contact_id=contact,
                number=f"D-{when:%Y%m%d}-{name[:3]}",
                total_minor=total,
                amount_paid_minor=total,
                created_at=when,
                due_at=when + dt.timedelta(days=14),
                finalized_at=when,
                paid_at=when,
                lines=lines,
            )

        def open_(currency: str, remaining: int, due: dt.datetime, **extra: object) -> BulkInvoice:
            return BulkInvoice(
                currency=currency,
                state=S.OPEN,
                customer_name="Kenji Watanabe",
                number=f"O-{remaining}",
                total_minor=remaining,
                amount_remaining_minor=remaining,
                created_at=due - dt.timedelta(days=14),
                due_at=due,
                finalized_at=due - dt.timedelta(days=14),
                **extra,
            )  # type: ignore[arg-type]

        ids = insert_invoices(
            session,
            profile_id,
            [
                paid(
                    "USD",
                    "Amelia Hart",
                    local(year, 1, 10),
                    (BulkLine("Rolex", 2_950_000, watch_id=rolex), BulkLine("Strap", 25_000)),
                    amelia.id,
                ),
                paid(
                    "USD",
                    "Kenji Watanabe",
                    local(year, later, 5),
                    (BulkLine("Patek", 12_500_000, watch_id=patek),),
                    None,
                ),
                paid(
                    "EUR",
                    "Amelia Hart",
                    local(year, 1, 20),
                    (BulkLine("Omega", 720_000, watch_id=omega),),
                    amelia.id,
                ),
                paid(
                    "EUR",
                    "Kenji Watanabe",
                    local(year, later, 6),
                    (BulkLine("Cartier", 780_000, watch_id=cartier),),
                    None,
                ),
                paid(
                    "USD",
                    "Amelia Hart",
                    local(year - 1, 3, 3),
                    (BulkLine("Rolex", 1_500_000, watch_id=rolex_old),),
                    amelia.id,
                ),
                open_("USD", 400_000, now + dt.timedelta(days=20)),
                open_("USD", 250_000, now - dt.timedelta(days=10)),
                open_("EUR", 90_000, now - dt.timedelta(days=30)),
                open_("USD", 70_000, now - dt.timedelta(days=3), payment_processing=True),
                BulkInvoice(
                    currency="USD",
                    state=S.VOID,
                    customer_name="Amelia Hart",
                    contact_id=amelia.id,
                    total_minor=999_000,
                    created_at=local(year, 1, 11),
                ),
                BulkInvoice(
                    currency="USD",
                    state=S.LOCAL_DRAFT,
                    customer_name="Amelia Hart",
                    total_minor=50_000,
                    created_at=local(year, 1, 12),
                ),
            ],
        )
    return SeededYear(
        contact_id=amelia.id,
        january=(ids[0], ids[2]),
        overdue=(ids[6], ids[7]),
        amelia_paid=(ids[0], ids[2]),
        oldest_open=ids[7],
    )
