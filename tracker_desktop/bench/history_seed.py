"""A dealer's long history for the benchmarks: 100,000 invoices with 300,000 lines, made
through the app's migrations and its bulk repository (repositories/invoice_bulk), so the
search columns and the trigram index are filled as the app fills them.

The mix is a shop's after ten years: mostly paid, the newest 1,000 open (some overdue, a
few processing or failed), a few hundred drafts, void and uncollectible ones; each invoice
sells one watch with its serial, plus a strap or service line and insured shipping. Client
names include accented ones (Müller & Söhne, Lindqvist, Ødegaard...).
"""

from __future__ import annotations

import datetime as dt
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from tracker_desktop.domain.invoice_state import InvoiceState
from tracker_desktop.domain.watch_status import WatchStatus

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from tracker_desktop.db.repositories.invoice_bulk import BulkInvoice

INVOICES = 100_000
OPEN = 1_000
DRAFTS = 200
CLIENTS = 2_000
BATCH = 5_000

_FIRST = ("Amelia", "Kenji", "Charlotte", "Émile", "Sofía", "Lukas", "Ingrid", "Mateo",
          "Yara", "Oskar", "Chloé", "Ravi", "Zoë", "Björn", "Aiko", "Nikolaj")  # fmt: skip
_LAST = ("Hart", "Watanabe", "Lindqvist", "Dubois", "Müller & Söhne", "García", "Ødegaard",
         "Rossi", "Novák", "Schäfer", "Nakamura", "O'Brien", "Łukasik", "Fontaine")  # fmt: skip
_WATCHES = (("Rolex", "Daytona", "116500LN", 2_950_000), ("Patek Philippe", "Nautilus",
            "5711/1A-010", 12_500_000), ("Audemars Piguet", "Royal Oak", "15500ST", 6_400_000),
            ("Omega", "Speedmaster", "310.30.42", 720_000), ("A. Lange & Söhne", "Lange 1",
            "191.032", 4_100_000), ("Cartier", "Santos", "WSSA0018", 780_000))  # fmt: skip
_EXTRAS = ("Strap: alligator, deployant clasp", "Service and pressure test", "Bracelet sizing",
           "Box and papers", "Second strap: rubber")  # fmt: skip


@dataclass(frozen=True)
class SeededHistory:
    url: str
    db_file: Path
    profile_id: int
    invoices: int


def client_name(i: int) -> str:
    return f"{_FIRST[i % len(_FIRST)]} {_LAST[(i // len(_FIRST)) % len(_LAST)]} {i}"


def serial_of(i: int) -> str:
    return f"{'ABCDEFGHJK'[i % 10]}{i * 7919 % 1_000_000:06d}{i % 97:02d}"


def seed_history(home: Path, invoices: int = INVOICES) -> SeededHistory:
    """A migrated database under `home` with one profile and `invoices` invoices."""
    from sqlalchemy import insert, select

    from tracker_desktop.config.paths import app_paths, database_url
    from tracker_desktop.db import models
    from tracker_desktop.db.engine import make_engine, make_session_factory, session_scope
    from tracker_desktop.db.migrate import prepare_database
    from tracker_desktop.db.repositories.invoice_bulk import insert_invoices

    paths = app_paths(home).ensure()
    url = database_url(paths)
    prepare_database(url, paths.database_file, paths.backups)
    engine = make_engine(url)
    sessions = make_session_factory(engine)
    now = dt.datetime.now(dt.UTC).replace(microsecond=0)
    with session_scope(sessions, write=True) as session:
        profile = models.Profile(name="Bench Watches", kind="practice")
        session.add(profile)
        session.flush()
        profile_id = profile.id
        clients = min(CLIENTS, invoices)
        session.execute(
            insert(models.Contact),
            [
                {"profile_id": profile_id, "name": client_name(i), "email": email_of(i)}
                for i in range(clients)
            ],
        )
        contact_ids = list(session.scalars(select(models.Contact.id).order_by(models.Contact.id)))
    history = _History(invoices, now, contact_ids)
    for start in range(0, invoices, BATCH):  # one transaction per batch keeps the WAL small
        with session_scope(sessions, write=True) as session:
            stop = min(start + BATCH, invoices)
            watches = _add_watches(session, profile_id, history, range(start, stop))
            insert_invoices(
                session, profile_id, [history.invoice(i, watches[i]) for i in range(start, stop)]
            )
    engine.dispose()
    return SeededHistory(url, paths.database_file, profile_id, invoices)


_shared: list[SeededHistory] = []


def shared_history() -> SeededHistory:
    """The 100,000-invoice history, seeded once per `make bench` run and removed at exit
    (several benchmarks read it; each copies it if it changes anything)."""
    if not _shared:
        import atexit
        import tempfile

        folder = Path(tempfile.mkdtemp(prefix="tracker-bench-history-"))
        atexit.register(shutil.rmtree, folder, ignore_errors=True)
        _shared.append(seed_history(folder))
    return _shared[0]


def copy_database(seeded: SeededHistory, home: Path) -> SeededHistory:
    """The same database under another home (seeding once serves several benchmarks)."""
    from tracker_desktop.config.paths import app_paths, database_url

    paths = app_paths(home).ensure()
    shutil.copyfile(seeded.db_file, paths.database_file)
    return SeededHistory(database_url(paths), paths.database_file, seeded.profile_id,
                         seeded.invoices)  # fmt: skip


def email_of(client: int) -> str:
    return f"{_FIRST[client % len(_FIRST)].lower()}.{client}@example.com"


@dataclass(frozen=True)
class _History:
    count: int
    now: dt.datetime
    contact_ids: list[int]

    def created(self, i: int) -> dt.datetime:
        return self.now - dt.timedelta(days=3650) * (self.count - i) / self.count

    def state(self, i: int) -> InvoiceState:
        newest = self.count - 1 - i
        if newest < DRAFTS // 4 or i % 500 == 7:
            return InvoiceState.LOCAL_DRAFT
        if newest < DRAFTS // 4 + OPEN:
            return InvoiceState.OPEN
        if i % 300 == 11:
            return InvoiceState.VOID
        if i % 2000 == 13:
            return InvoiceState.UNCOLLECTIBLE
        return InvoiceState.PAID

    def invoice(self, i: int, watch_id: int) -> BulkInvoice:
        from tracker_desktop.db.repositories.invoice_bulk import BulkInvoice, BulkLine

        brand, model, ref, price = _WATCHES[i % len(_WATCHES)]
        client = i % len(self.contact_ids)
        state = self.state(i)
        created = self.created(i)
        sent = state != InvoiceState.LOCAL_DRAFT
        lines = (
            BulkLine(f"{brand} {model} ref. {ref}", price, watch_id=watch_id),
            BulkLine(_EXTRAS[i % len(_EXTRAS)], 25_000),
            BulkLine("Insured shipping (FedEx Priority)", 15_000),
        )
        total = price + 40_000
        paid = total if state == InvoiceState.PAID else 0
        return BulkInvoice(
            currency="USD",
            state=state,
            customer_name=client_name(client),
            customer_email=email_of(client),
            contact_id=self.contact_ids[client],
            number=f"GFW-{created.year}-{i:06d}" if sent else None,
            memo=f"Collector's order {i}" if i % 10 == 0 else "",
            total_minor=total,
            amount_paid_minor=paid,
            amount_remaining_minor=total - paid if sent else 0,
            created_at=created,
            due_at=created + dt.timedelta(days=14) if sent else None,
            finalized_at=created if sent else None,
            paid_at=created + dt.timedelta(days=3) if state == InvoiceState.PAID else None,
            last_synced_at=self.now - dt.timedelta(minutes=i % 90) if sent else None,
            stripe_invoice_id=f"in_bench{i:08d}" if sent else None,
            lines=lines,
        )


def _add_watches(
    session: Session, profile_id: int, history: _History, indexes: range
) -> dict[int, int]:
    """One watch per invoice; returns invoice index -> watch id."""
    from sqlalchemy import insert, select

    from tracker_desktop.db import models

    status = {
        InvoiceState.OPEN: WatchStatus.RESERVED,
        InvoiceState.PAID: WatchStatus.SOLD,
        InvoiceState.UNCOLLECTIBLE: WatchStatus.RESERVED,
    }
    rows = []
    for i in indexes:
        brand, model, ref, price = _WATCHES[i % len(_WATCHES)]
        rows.append(
            {
                "profile_id": profile_id,
                "brand": brand,
                "model": model,
                "reference": ref,
                "serial": serial_of(i),
                "currency": "USD",
                "asking_price_minor": price,
                "status": status.get(history.state(i), WatchStatus.IN_STOCK),
                "created_at": history.created(i),
                "updated_at": history.created(i),
            }
        )
    session.execute(insert(models.Watch), rows)
    serials = [str(row["serial"]) for row in rows]
    found = session.execute(
        select(models.Watch.serial, models.Watch.id).where(models.Watch.serial.in_(serials))
    )
    by_serial = {serial: watch_id for serial, watch_id in found}
    return {i: by_serial[serial] for i, serial in zip(indexes, serials, strict=True)}
