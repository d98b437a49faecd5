"""A composer draft checked against the database and turned into what the repository stores."""

from __future__ import annotations

import json

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tracker_desktop.db.models import Contact, Watch
from tracker_desktop.db.repositories import invoices as repo
from tracker_desktop.domain.draft import DraftLine, InvoiceDraft, validate_draft
from tracker_desktop.domain.errors import ValidationError
from tracker_desktop.domain.watch_status import WatchStatus
from tracker_desktop.services.invoicing import state_moves
from tracker_desktop.services.invoicing.views import DraftInput, DraftInvalid


def checked_draft(
    session: Session,
    profile_id: int,
    draft: DraftInput,
    *,
    except_invoice: int | None,
    over_cap_allowed: bool = False,
) -> tuple[repo.InvoiceDraft, list[repo.LineDraft]]:
    """The draft as the repository stores it, or DraftInvalid with every field problem
    (a watch reserved or sold on another invoice names that invoice). A sale that is split
    into parts may come to more than Stripe's cap for one invoice (`over_cap_allowed`)."""
    name, email = draft.customer_name.strip(), draft.customer_email.strip()
    errors: dict[str, str] = {}
    if draft.contact_id is not None:
        contact = session.get(Contact, draft.contact_id)
        if contact is None or contact.profile_id != profile_id:
            errors["contact"] = "That client no longer exists."
        else:
            name, email = name or contact.name, email or contact.email
    domain_draft = InvoiceDraft(
        currency=draft.currency,
        lines=[
            DraftLine(
                ln.description,
                ln.quantity,
                ln.unit_price,
                str(ln.watch_id) if ln.watch_id is not None else None,
                ln.trade_in,
            )
            for ln in draft.lines
        ],
        customer_name=name,
        customer_email=email,
        customer_address=draft.customer_address,
        contact_id=str(draft.contact_id) if draft.contact_id is not None else None,
        days_until_due=draft.days_until_due,
        memo=draft.memo,
        footer=draft.footer,
    )
    errors.update(validate_draft(domain_draft, split=over_cap_allowed))
    for i, line in enumerate(draft.lines):
        if line.watch_id is None or f"lines[{i}].watch" in errors:
            continue
        try:
            state_moves.refuse_taken_watches(
                session, profile_id, [line.watch_id], except_invoice=except_invoice
            )
        except ValidationError as exc:
            errors[f"lines[{i}].watch"] = str(exc)
    errors.update(_traded_serials_in_stock(session, profile_id, draft))
    if errors:
        raise DraftInvalid(errors)
    address = draft.customer_address.to_stripe() if draft.customer_address else {}
    fields = repo.InvoiceDraft(
        currency=draft.currency,
        contact_id=draft.contact_id,
        customer_name=name,
        customer_email=email,
        customer_address_json=json.dumps(address),
        days_until_due=draft.days_until_due,
        memo=draft.memo.strip(),
        footer=draft.footer.strip(),
    )
    lines = [
        repo.LineDraft(
            ln.description.strip(), ln.unit_price.minor, ln.quantity, ln.watch_id, ln.trade_in
        )
        for ln in draft.lines
    ]
    return fields, lines


def _traded_serials_in_stock(
    session: Session, profile_id: int, draft: DraftInput
) -> dict[str, str]:
    """A traded watch must be new to the inventory, or one the dealer sold before."""
    found: dict[str, str] = {}
    for i, line in enumerate(draft.lines):
        if line.trade_in is None or not line.trade_in.serial.strip():
            continue
        serial = line.trade_in.serial.strip()
        known = session.scalar(
            select(Watch).where(
                Watch.profile_id == profile_id, func.lower(Watch.serial) == serial.lower()
            )
        )
        if known is not None and known.status != WatchStatus.SOLD:
            found[f"lines[{i}].trade_in.serial"] = (
                f"Serial {serial} is already in inventory ({known.status.words}): "
                "a traded watch comes from the buyer"
            )
    return found
