"""The push, over real HTTP to the simulator: one and several lines, zero-decimal currency."""

from __future__ import annotations

from tracker_desktop.domain.invoice_state import Action, DisplayKind, InvoiceState
from tracker_desktop.services.invoicing.invoice_service import InvoiceService, PushStep

from .conftest import Env, draft


def test_push_one_line_opens_invoice_with_number_and_page(env: Env) -> None:
    watch = env.add_watch("7Q81K2A9")
    inv_id = env.service.save_draft(
        env.profile_id, draft(("Rolex Submariner Date 126610LN", 1_250_000, watch))
    )
    assert env.watch_status(watch) == "in_stock"  # a draft reserves nothing
    steps: list[PushStep] = []

    detail = env.run(lambda s: s.push(env.profile_id, inv_id, steps.append))

    assert steps == [
        PushStep.CUSTOMER,
        PushStep.CREATE_INVOICE,
        PushStep.ADD_LINES,
        PushStep.FINALIZE,
        PushStep.DONE,
    ]
    assert detail.state is InvoiceState.OPEN
    assert detail.status.label == "Open"
    assert detail.number
    assert detail.hosted_invoice_url
    assert detail.invoice_pdf_url
    assert detail.total.minor == 1_250_000
    assert detail.due_at is not None
    assert [e.label for e in detail.timeline] == ["Saved as draft", "Finalized"]
    assert detail.can(Action.VOID)
    assert not detail.can(Action.EDIT_DRAFT)
    assert env.watch_status(watch) == "reserved"
    [remote] = env.stripe_invoices()
    assert remote.id == detail.stripe_invoice_id
    assert remote.status == "open"
    assert remote.total == 1_250_000
    assert remote.tracker_invoice_id == detail.uuid


def test_push_three_lines_in_yen_for_a_client(env: Env) -> None:
    client = env.add_client()
    inv_id = env.service.save_draft(
        env.profile_id,
        draft(
            ("Omega Speedmaster 310.30.42.50.01.001", 980_000, None),
            ("Strap: alligator, black", 45_000, None),
            ("Service and pressure test", 25_000, None),
            currency="JPY",
            contact_id=client,
        ),
    )
    detail = env.run(lambda s: s.push(env.profile_id, inv_id))
    assert detail.state is InvoiceState.OPEN
    assert detail.total.minor == 1_050_000
    assert detail.total.currency == "JPY"
    assert detail.customer_name == "Ada Lovelace"
    [remote] = env.stripe_invoices()
    assert remote.total == 1_050_000
    assert remote.currency.upper() == "JPY"
    # The client is now linked to the Stripe customer: a second invoice reuses it.
    second = env.service.save_draft(
        env.profile_id, draft(("Bracelet sizing", 5_000, None), currency="JPY", contact_id=client)
    )
    before = env.sb.request_count("POST", "/v1/customers")
    again = env.run(lambda s: s.push(env.profile_id, second))
    assert env.sb.request_count("POST", "/v1/customers") == before
    assert again.state is InvoiceState.OPEN


def test_history_lists_by_displayed_status_serial_and_text(env: Env) -> None:
    watch = env.add_watch("SER-55X")
    open_id = env.service.save_draft(env.profile_id, draft(("Rolex Daytona", 3_100_000, watch)))
    env.service.save_draft(env.profile_id, draft(("Strap change", 9_000, None), name="Alan Turing"))
    env.run(lambda s: s.push(env.profile_id, open_id))
    svc: InvoiceService = env.service
    from tracker_desktop.services.invoicing.invoice_service import InvoiceFilters

    everything = svc.list(env.profile_id)
    assert everything.total == 2
    assert not everything.has_more
    drafts = svc.list(env.profile_id, InvoiceFilters(statuses=(DisplayKind.DRAFT,)))
    assert [r.customer_name for r in drafts.rows] == ["Alan Turing"]
    by_serial = svc.list(env.profile_id, InvoiceFilters(serial="55x"))
    assert [r.id for r in by_serial.rows] == [open_id]
    assert by_serial.rows[0].serials == ("SER-55X",)
    assert by_serial.rows[0].status.label == "Open"
    assert [r.id for r in svc.list(env.profile_id, InvoiceFilters(text="daytona")).rows] == [
        open_id
    ]
