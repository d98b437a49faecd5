"""A sale over several invoices, made locally in one transaction (nothing reaches Stripe here).

- A deposit sale is two local drafts: the deposit (one line, "Deposit on …") and the balance
  (every line of the sale, its watches and trade-ins, less the deposit as a credit line). The
  balance waits as a draft; its watches are reserved by the sale as soon as the deposit is.
- A split sale is as many local drafts as Stripe's cap asks for, each one line "… part i of
  n", with the sale's watch on each line so the sale holds it, totals exact (sale_math).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy.orm import Session, object_session

from tracker_desktop.db.models import Invoice, Profile
from tracker_desktop.db.repositories import invoices as repo
from tracker_desktop.db.repositories import sales
from tracker_desktop.db.sale_models import Sale
from tracker_desktop.domain.errors import ActionNotAllowed, ValidationError
from tracker_desktop.domain.money import Money
from tracker_desktop.domain.sale_math import (
    DepositRule,
    SaleKind,
    SaleRole,
    check_deposit,
    deposit_by_rule,
    percent_of,
    split_total,
)
from tracker_desktop.services.invoicing import state_moves
from tracker_desktop.services.invoicing.drafts import checked_draft
from tracker_desktop.services.invoicing.views import DraftInput, DraftInvalid

DEPOSIT_CREDIT_TEXT = "Less the deposit paid"


@dataclass(frozen=True, slots=True)
class DepositChoice:
    """How the deposit is asked for: exactly one of an amount, a percentage (in basis
    points: 2500 is 25 %) or the profile's rule."""

    amount: Money | None = None
    percent_bp: int | None = None
    by_rule: bool = False


@dataclass(frozen=True, slots=True)
class SaleMade:
    sale_id: int
    invoice_ids: tuple[int, ...]  # in the sale's order: deposit then balance, part 1 first


def deposit_rule(profile: Profile) -> DepositRule | None:
    if (
        profile.deposit_threshold_minor is None
        or profile.deposit_fixed_minor is None
        or profile.deposit_percent_bp is None
    ):
        return None
    code = profile.default_currency
    return DepositRule(
        threshold=Money(profile.deposit_threshold_minor, code),
        fixed=Money(profile.deposit_fixed_minor, code),
        percent_bp=profile.deposit_percent_bp,
    )


def resolve_deposit(total: Money, choice: DepositChoice, rule: DepositRule | None) -> Money:
    """The deposit's amount, or ValidationError (field "deposit")."""
    if choice.amount is not None:
        amount = choice.amount
    elif choice.percent_bp is not None:
        amount = percent_of(total, choice.percent_bp)
    elif choice.by_rule:
        if rule is None:
            raise ValidationError(
                "This profile has no deposit rule yet: set one in Settings, or enter an "
                "amount or a percentage.",
                "deposit",
            )
        amount = deposit_by_rule(total, rule)
    else:
        raise ValidationError("Enter the deposit as an amount or a percentage", "deposit")
    check_deposit(total, amount)
    return amount


def summary_of(lines: list[repo.LineDraft]) -> str:
    sold = [ln for ln in lines if ln.trade_in is None]
    first = sold[0].description
    more = len(sold) - 1
    return first if more == 0 else f"{first} and {more} more"


def _total(lines: list[repo.LineDraft]) -> int:
    return sum(ln.quantity * ln.unit_amount_minor for ln in lines)


def _checked(
    session: Session, profile_id: int, draft: DraftInput, *, over_cap: bool = False
) -> tuple[repo.InvoiceDraft, list[repo.LineDraft]]:
    try:
        return checked_draft(
            session, profile_id, draft, except_invoice=None, over_cap_allowed=over_cap
        )
    except DraftInvalid:
        raise
    except ValidationError as exc:
        raise DraftInvalid({exc.field or "lines": str(exc)}) from None


def _new(
    session: Session,
    profile_id: int,
    fields: repo.InvoiceDraft,
    lines: list[repo.LineDraft],
    now: dt.datetime,
) -> Invoice:
    invoice = repo.create_draft(session, profile_id, fields, lines)
    state_moves.add_timeline(session, invoice, "created", now)
    return invoice


def deposit_preview(
    session: Session, profile_id: int, draft: DraftInput, choice: DepositChoice
) -> Money:
    """The deposit the choice gives for this draft, or ValidationError/DraftInvalid."""
    fields, lines = _checked(session, profile_id, draft)
    profile = session.get(Profile, profile_id)
    rule = deposit_rule(profile) if profile is not None else None
    return resolve_deposit(Money(_total(lines), fields.currency), choice, rule)


def make_deposit_sale(
    session: Session, profile_id: int, draft: DraftInput, choice: DepositChoice, now: dt.datetime
) -> SaleMade:
    fields, lines = _checked(session, profile_id, draft)
    total = Money(_total(lines), fields.currency)
    profile = session.get(Profile, profile_id)
    rule = deposit_rule(profile) if profile is not None else None
    try:
        deposit = resolve_deposit(total, choice, rule)
    except ValidationError as exc:
        raise DraftInvalid({"deposit": str(exc)}) from None
    text = f"Deposit on {summary_of(lines)}"
    deposit_invoice = _new(
        session, profile_id, fields, [repo.LineDraft(text, deposit.minor, 1)], now
    )
    credit = repo.LineDraft(DEPOSIT_CREDIT_TEXT, -deposit.minor, 1, credit=True)
    balance_invoice = _new(session, profile_id, fields, [*lines, credit], now)
    sale = sales.create_sale(session, profile_id, SaleKind.DEPOSIT, fields.currency, total.minor)
    sales.link(session, sale, deposit_invoice, SaleRole.DEPOSIT, 1, 2)
    sales.link(session, sale, balance_invoice, SaleRole.BALANCE, 2, 2)
    return SaleMade(sale.id, (deposit_invoice.id, balance_invoice.id))


def make_split_sale(
    session: Session, profile_id: int, draft: DraftInput, now: dt.datetime
) -> SaleMade:
    fields, lines = _checked(session, profile_id, draft, over_cap=True)
    watches = [ln.watch_id for ln in lines if ln.watch_id is not None]
    if any(ln.trade_in is not None for ln in lines):
        raise DraftInvalid(
            {
                "lines": "A sale split into parts cannot carry a trade-in: record it on an "
                "invoice of its own"
            }
        )
    if len(watches) > 1:
        raise DraftInvalid(
            {"lines": "A sale split into parts carries one watch: invoice the others apart"}
        )
    total = Money(_total(lines), fields.currency)
    try:
        parts = split_total(total)
    except ValidationError as exc:
        raise DraftInvalid({"total": str(exc)}) from None
    summary = summary_of(lines)
    watch_id = watches[0] if watches else None
    sale = sales.create_sale(session, profile_id, SaleKind.SPLIT, fields.currency, total.minor)
    made: list[int] = []
    for number, part in enumerate(parts, start=1):
        text = f"{summary}, part {number} of {len(parts)}"
        line = repo.LineDraft(text, part.minor, 1, watch_id)
        invoice = _new(session, profile_id, fields, [line], now)
        sales.link(session, sale, invoice, SaleRole.PART, number, len(parts))
        made.append(invoice.id)
    return SaleMade(sale.id, tuple(made))


def load_sale(session: Session, profile_id: int, sale_id: int) -> Sale:
    sale = sales.get_sale(session, profile_id, sale_id)
    if sale is None:
        raise ValidationError("That sale no longer exists.")
    return sale


def share_customer(session: Session, invoice_id: int) -> None:
    """A one-off buyer is one Stripe customer for the whole sale: a later invoice of the sale
    takes the customer an earlier one made (the push then only updates it)."""
    link = sales.link_of(session, invoice_id)
    invoice = session.get(Invoice, invoice_id)
    if link is None or invoice is None or invoice.contact_id is not None:
        return
    if invoice.stripe_customer_id is not None or invoice.push_started_at is not None:
        return
    for _link, other in sales.sale_invoices(session, link.sale_id):
        if other.id != invoice_id and other.stripe_customer_id is not None:
            invoice.stripe_customer_id = other.stripe_customer_id
            return


def refuse_sale_member_edit(invoice: Invoice) -> None:
    """An invoice of a sale that stands is not edited or deleted on its own: its amounts are
    the sale's. Cancel the sale instead (which then deletes what was never sent)."""
    session = object_session(invoice)
    link = sales.link_of(session, invoice.id) if session is not None else None
    if link is not None and link.sale.cancelled_at is None:
        raise ActionNotAllowed(
            "This invoice is part of a sale; its amounts follow the sale. Cancel the sale "
            "to change it.",
            action="edit_draft",
        )
