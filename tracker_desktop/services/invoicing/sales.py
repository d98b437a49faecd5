"""Use cases on a sale over several invoices: a deposit then its balance, or parts under
Stripe's cap (ARCHITECTURE.md "Sales").

Each invoice of a sale is sent by the one push (InvoiceService.push): resumable, idempotent,
its sale's id and role in Stripe's metadata. Nothing here sends a request of its own, so
nothing of a sale can be created twice at Stripe.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from tracker_desktop.db.engine import session_scope
from tracker_desktop.db.models import Invoice, Profile, utcnow
from tracker_desktop.db.repositories import sales
from tracker_desktop.db.sale_models import Sale, SaleInvoice
from tracker_desktop.domain.errors import ActionNotAllowed, ValidationError
from tracker_desktop.domain.invoice_state import InvoiceState
from tracker_desktop.domain.money import Money
from tracker_desktop.domain.sale_math import DepositRule, SaleKind, SaleRole
from tracker_desktop.services.events import (
    EventHub,
    InvoicesChanged,
    PollFinished,
    WatchesChanged,
)
from tracker_desktop.services.invoicing import sale_making, sale_refunds, state_moves
from tracker_desktop.services.invoicing.invoice_service import InvoiceService
from tracker_desktop.services.invoicing.sale_making import DepositChoice, SaleMade
from tracker_desktop.services.invoicing.sale_views import SaleView, sale_view
from tracker_desktop.services.invoicing.views import DraftInput
from tracker_desktop.services.offload import Offload, in_thread

if TYPE_CHECKING:
    from tracker_desktop.services.credit.credit_note_service import CreditNoteService

log = logging.getLogger(__name__)
S = InvoiceState

__all__ = ["DepositChoice", "SaleMade", "SaleService", "SaleView"]


class SaleService:
    """Sales of one database; every call names its profile. `offload` runs the reads made
    after a poll (the app's database worker), never on the loop thread."""

    def __init__(
        self,
        session_factory: sessionmaker[Session],
        invoices: InvoiceService,
        hub: EventHub | None = None,
        clock: Callable[[], dt.datetime] | None = None,
        *,
        offload: Offload = in_thread,
        credit_notes: CreditNoteService | None = None,
    ) -> None:
        self._sessions = session_factory
        self._credit_notes = credit_notes  # gives back what was paid when a sale is cancelled
        self._invoices = invoices
        self._hub = hub
        self._clock = clock or utcnow
        self._offload = offload
        self._tasks: set[asyncio.Task[None]] = set()

    # -- making a sale (local only, works offline) --

    def save_deposit_sale(
        self, profile_id: int, draft: DraftInput, choice: DepositChoice
    ) -> SaleMade:
        """The deposit and the balance as local drafts, linked as one sale. Raises
        DraftInvalid (the deposit's problem under "deposit")."""
        with session_scope(self._sessions, write=True) as session:
            made = sale_making.make_deposit_sale(session, profile_id, draft, choice, self._clock())
        self._changed(profile_id, made.invoice_ids)
        return made

    def save_split_sale(self, profile_id: int, draft: DraftInput) -> SaleMade:
        """As many linked local drafts as Stripe's cap asks for, totals exact."""
        with session_scope(self._sessions, write=True) as session:
            made = sale_making.make_split_sale(session, profile_id, draft, self._clock())
        self._changed(profile_id, made.invoice_ids)
        return made

    def deposit_for(self, profile_id: int, draft: DraftInput, choice: DepositChoice) -> Money:
        """What the deposit would be (the composer shows it before saving)."""
        with self._sessions() as session:
            return sale_making.deposit_preview(session, profile_id, draft, choice)

    # -- the profile's deposit rule --

    def deposit_rule(self, profile_id: int) -> DepositRule | None:
        with self._sessions() as session:
            profile = session.get(Profile, profile_id)
            return sale_making.deposit_rule(profile) if profile is not None else None

    def set_deposit_rule(self, profile_id: int, rule: DepositRule | None) -> None:
        """Keep (or, with None, drop) the profile's deposit rule, in its default currency."""
        with session_scope(self._sessions, write=True) as session:
            profile = session.get(Profile, profile_id)
            if profile is None:
                raise ValidationError("That profile no longer exists.")
            if rule is not None and rule.threshold.currency != profile.default_currency:
                raise ValidationError(
                    f"The rule is kept in the profile's currency, {profile.default_currency}",
                    "rule",
                )
            profile.deposit_threshold_minor = None if rule is None else rule.threshold.minor
            profile.deposit_fixed_minor = None if rule is None else rule.fixed.minor
            profile.deposit_percent_bp = None if rule is None else rule.percent_bp

    # -- reading --

    def get(self, profile_id: int, sale_id: int) -> SaleView:
        with self._sessions() as session:
            return sale_view(session, sale_making.load_sale(session, profile_id, sale_id))

    def sale_of_invoice(self, profile_id: int, invoice_id: int) -> SaleView | None:
        with self._sessions() as session:
            link = sales.link_of(session, invoice_id)
            if link is None or link.sale.profile_id != profile_id:
                return None
            return sale_view(session, link.sale)

    # -- sending --

    async def send_first(self, profile_id: int, sale_id: int) -> SaleView:
        """Send what the dealer sends at once: the deposit, or every part in order."""
        view = self.get(profile_id, sale_id)
        for inv in view.invoices:
            if inv.role == SaleRole.BALANCE:
                continue
            if inv.state in (S.LOCAL_DRAFT, S.PUSH_FAILED):
                await self._push(profile_id, inv.invoice_id)
        return self.get(profile_id, sale_id)

    async def _push(self, profile_id: int, invoice_id: int) -> None:
        with session_scope(self._sessions, write=True) as session:
            sale_making.share_customer(session, invoice_id)
        await self._invoices.push(profile_id, invoice_id)

    async def send_balance(self, profile_id: int, sale_id: int) -> SaleView:
        """Create the balance invoice at Stripe now (the dealer asked, or the deposit is paid)."""
        view = self.get(profile_id, sale_id)
        if view.cancelled:
            raise ActionNotAllowed("This sale was cancelled.", action="send_balance")
        for inv in view.invoices:
            if inv.role == SaleRole.BALANCE and inv.state in (S.LOCAL_DRAFT, S.PUSH_FAILED):
                await self._push(profile_id, inv.invoice_id)
        return self.get(profile_id, sale_id)

    # -- the balance follows a paid deposit --

    def listen(self) -> Callable[[], None]:
        """After every poll, send the balance of each sale whose deposit was paid."""
        if self._hub is None:
            return lambda: None

        def on_poll(finished: PollFinished) -> None:
            task = asyncio.get_running_loop().create_task(self.balances_due(finished.profile_id))
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)

        return self._hub.subscribe(PollFinished, on_poll)

    async def balances_due(self, profile_id: int) -> None:
        due = await self._offload(lambda: self._paid_deposits_waiting(profile_id))
        for sale_id in due:
            try:
                await self.send_balance(profile_id, sale_id)
            except Exception as exc:  # the balance stays a draft, shown with Send the balance
                log.info("The balance of sale %s was not sent: %s", sale_id, exc)

    def _paid_deposits_waiting(self, profile_id: int) -> list[int]:
        """Sales whose deposit is paid and whose balance was never sent."""
        deposit, balance = SaleInvoice.__table__.alias(), SaleInvoice.__table__.alias()
        paid_inv, draft_inv = Invoice.__table__.alias(), Invoice.__table__.alias()
        stmt = (
            select(Sale.id)
            .join(deposit, deposit.c.sale_id == Sale.id)
            .join(paid_inv, paid_inv.c.id == deposit.c.invoice_id)
            .join(balance, balance.c.sale_id == Sale.id)
            .join(draft_inv, draft_inv.c.id == balance.c.invoice_id)
            .where(
                Sale.profile_id == profile_id,
                Sale.kind == SaleKind.DEPOSIT.value,
                Sale.cancelled_at.is_(None),
                deposit.c.role == SaleRole.DEPOSIT.value,
                paid_inv.c.state == S.PAID.value,
                balance.c.role == SaleRole.BALANCE.value,
                draft_inv.c.state == S.LOCAL_DRAFT.value,
                draft_inv.c.push_started_at.is_(None),
            )
        )
        with self._sessions() as session:
            return list(session.scalars(stmt))

    # -- cancelling --

    async def cancel(
        self, profile_id: int, sale_id: int, *, give_back_paid: bool = False
    ) -> SaleView:
        """Cancel the sale: its watches go back in stock, what Stripe holds open is voided and
        what was never finalized deleted. What was paid stays paid, unless `give_back_paid`:
        then each paid invoice gets a credit note with its refund (sale_refunds). A failure
        part-way (Stripe unreachable) leaves the rest for Cancel again."""
        if give_back_paid and self._credit_notes is None:
            raise ActionNotAllowed("Credit notes are not available here.", action="cancel")
        # A balance this service is sending after a poll would otherwise be finalized at
        # Stripe just after the cancel looked at it, and stay open: let it finish, then void it.
        if self._tasks:
            await asyncio.gather(*self._tasks, return_exceptions=True)
        with session_scope(self._sessions, write=True) as session:
            sale = sale_making.load_sale(session, profile_id, sale_id)
            if sale.cancelled_at is None:
                sale.cancelled_at = self._clock()
                session.flush()
                for _link, invoice in sales.sale_invoices(session, sale_id):
                    state_moves.sync_watches(session, invoice)
        view = self.get(profile_id, sale_id)
        try:
            for inv in view.invoices:
                if inv.state in (S.OPEN, S.UNCOLLECTIBLE):
                    await self._invoices.void(profile_id, inv.invoice_id)
                elif inv.state in (S.PUSH_FAILED, S.LOCAL_DRAFT):
                    await self._invoices.delete_unsent(profile_id, inv.invoice_id)
            if give_back_paid and self._credit_notes is not None:
                await sale_refunds.give_back_paid(
                    self._credit_notes, self._sessions, profile_id, view
                )
        finally:
            self._changed(profile_id, tuple(inv.invoice_id for inv in view.invoices))
            if self._hub is not None:
                self._hub.publish(WatchesChanged(profile_id))
        return self.get(profile_id, sale_id)

    def _changed(self, profile_id: int, invoice_ids: tuple[int, ...]) -> None:
        if self._hub is not None:
            self._hub.publish(InvoicesChanged(profile_id, frozenset(invoice_ids)))
