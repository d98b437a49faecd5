"""On memo and in service: the dealer's own statuses. Such a watch cannot be invoiced until it
is back in stock: saving a draft with it and sending a draft made before it left are both
refused with a sentence that says where it is; a reserved watch cannot go on memo."""

from __future__ import annotations

import asyncio
import datetime as dt
from typing import Any

import pytest
from sqlalchemy.orm import Session, sessionmaker

from tracker_desktop.domain.errors import FormInvalid, ValidationError
from tracker_desktop.domain.money import Money
from tracker_desktop.domain.watch_status import WatchStatus
from tracker_desktop.services.inventory.watch_service import InventoryService, WatchForm
from tracker_desktop.services.invoicing.invoice_service import (
    DraftInput,
    DraftLineInput,
    InvoiceService,
)
from tracker_desktop.services.invoicing.views import DraftInvalid

SINCE = dt.date(2026, 11, 3)


class NoStripe:
    """Any use of Stripe fails the test: these refusals happen before anything is sent."""

    def __getattr__(self, name: str) -> Any:
        raise AssertionError(f"Stripe was reached ({name})")


def daytona(**changes: Any) -> WatchForm:
    base = {"brand": "Rolex", "model": "Daytona", "serial": "7S2A9XXX", "currency": "USD"}
    return WatchForm(**{**base, **changes})


def sale(watch_id: int) -> DraftInput:
    line = DraftLineInput("Rolex Daytona, serial 7S2A9XXX", 1, Money(3_450_000, "USD"), watch_id)
    return DraftInput(
        currency="USD", lines=[line], customer_name="Amelia Hart", customer_email="a@example.com"
    )


@pytest.fixture
def invoices(factory: sessionmaker[Session]) -> InvoiceService:
    return InvoiceService(factory, lambda _profile_id: NoStripe())


def test_on_memo_needs_with_whom_and_a_date(inventory: InventoryService, profile_id: int) -> None:
    watch = inventory.add(profile_id, daytona())
    with pytest.raises(FormInvalid) as caught:
        inventory.update(profile_id, watch.id, daytona(status=WatchStatus.ON_MEMO, away_with=" "))
    assert caught.value.errors == {
        "away_with": "Enter who has the watch on memo",
        "away_since": "Enter the date it went on memo",
    }
    assert inventory.get(profile_id, watch.id).status is WatchStatus.IN_STOCK  # nothing saved

    memo = daytona(status=WatchStatus.ON_MEMO, away_with="Galerie Koch", away_since=SINCE)
    row = inventory.update(profile_id, watch.id, memo)
    assert row.status is WatchStatus.ON_MEMO
    assert row.away_words == "On memo with Galerie Koch since 2026-11-03"

    back = inventory.update(profile_id, watch.id, daytona(status=WatchStatus.IN_STOCK))
    assert (back.status, back.away_with, back.away_since) == (WatchStatus.IN_STOCK, "", None)


def test_a_watch_on_memo_cannot_be_put_on_an_invoice(
    inventory: InventoryService, invoices: InvoiceService, profile_id: int
) -> None:
    watch = inventory.add(
        profile_id, daytona(status=WatchStatus.ON_MEMO, away_with="Galerie Koch", away_since=SINCE)
    )
    assert "it can be invoiced once it is back in stock" in watch.why_not_invoiceable  # picker
    with pytest.raises(DraftInvalid) as caught:
        invoices.save_draft(profile_id, sale(watch.id))
    assert caught.value.errors["lines[0].watch"] == (
        "Rolex Daytona, serial 7S2A9XXX is on memo with Galerie Koch since 2026-11-03; "
        "it can be invoiced once it is back in stock."
    )


def test_a_draft_is_not_sent_while_its_watch_is_in_service(
    inventory: InventoryService, invoices: InvoiceService, profile_id: int
) -> None:
    watch = inventory.add(profile_id, daytona())
    draft_id = invoices.save_draft(profile_id, sale(watch.id))  # a draft reserves nothing
    inventory.update(profile_id, watch.id, daytona(status=WatchStatus.IN_SERVICE, away_since=SINCE))
    with pytest.raises(ValidationError) as caught:
        asyncio.run(invoices.push(profile_id, draft_id))
    assert str(caught.value) == (
        "Rolex Daytona, serial 7S2A9XXX is in service since 2026-11-03; "
        "it can be invoiced once it is back in stock."
    )
    assert invoices.get(profile_id, draft_id).state.value == "local_draft"
    assert inventory.get(profile_id, watch.id).status is WatchStatus.IN_SERVICE

    inventory.update(profile_id, watch.id, daytona(status=WatchStatus.IN_STOCK))
    assert invoices.save_draft(profile_id, sale(watch.id)) > 0  # back: it can be invoiced


def test_a_reserved_watch_cannot_go_on_memo(inventory: InventoryService, profile_id: int) -> None:
    from tracker_desktop.db.engine import session_scope
    from tracker_desktop.db.models import Watch

    watch = inventory.add(profile_id, daytona())
    with session_scope(inventory._sessions, write=True) as session:
        stored = session.get(Watch, watch.id)
        assert stored is not None
        stored.status = WatchStatus.RESERVED  # as an open invoice leaves it
    memo = daytona(status=WatchStatus.ON_MEMO, away_with="Galerie Koch", away_since=SINCE)
    with pytest.raises(ValidationError) as caught:
        inventory.update(profile_id, watch.id, memo)
    assert caught.value.field == "status"
    assert str(caught.value) == (
        "It is reserved on an invoice; it can go on memo once that invoice is voided."
    )
    assert inventory.get(profile_id, watch.id).status is WatchStatus.RESERVED
