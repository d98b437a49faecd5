"""Credit notes, refunds and credit lines, as the simulator enforces Stripe's rules for them.

Real HTTP through stripe-python; every answer is also held to Stripe's model by the plugin.
"""

from __future__ import annotations

from typing import Any

import httpx
import pytest
import stripe

from tracker_desktop.sandbox import Sandbox

from .conftest import customer, make_client, open_invoice

PRICE = 1_250_000  # $12,500.00, the open_invoice line


def _note(client: stripe.StripeClient, params: Any, key: str | None = None) -> stripe.CreditNote:
    options: stripe.RequestOptions = {"idempotency_key": key} if key else {}
    return client.v1.credit_notes.create(params=params, options=options)


def _refused(
    client: stripe.StripeClient, params: Any, status: int = 400
) -> stripe.InvalidRequestError:
    with pytest.raises(stripe.InvalidRequestError) as err:
        _note(client, params)
    assert err.value.http_status == status
    return err.value


def _paid_by_card(sb: Sandbox, client: stripe.StripeClient, amount: int = PRICE) -> stripe.Invoice:
    inv = open_invoice(client, amount=amount)
    sb.pay_as_buyer(inv.id)
    return client.v1.invoices.retrieve(inv.id)


def _events(client: stripe.StripeClient) -> list[stripe.Event]:
    return list(client.v1.events.list(params={"limit": 100}).data)


# -- credit lines on an invoice ---------------------------------------------------------------


def _draft_with(client: stripe.StripeClient, lines: list[Any]) -> stripe.Invoice:
    inv = open_invoice(client, finalize=False)
    return client.v1.invoices.add_lines(inv.id, params={"lines": lines})


def test_negative_line_is_a_credit_that_lowers_the_total(client: stripe.StripeClient) -> None:
    inv = _draft_with(client, [{"amount": -400_000, "description": "Trade-in: Omega 311.30"}])
    assert inv.total == inv.amount_due == PRICE - 400_000
    credit = inv.lines.data[1]
    assert credit.amount == -400_000
    assert credit.discountable is False  # Stripe's default for negative line items
    inv = client.v1.invoices.finalize_invoice(inv.id)
    assert inv.status == "open"
    assert inv.amount_remaining == PRICE - 400_000


def test_credit_lines_may_bring_the_total_to_zero_but_not_below(
    client: stripe.StripeClient,
) -> None:
    inv = _draft_with(client, [{"amount": -PRICE, "description": "Full allowance"}])
    assert inv.total == 0
    other = open_invoice(client, finalize=False)
    with pytest.raises(stripe.InvalidRequestError) as err:
        client.v1.invoices.add_lines(
            other.id, params={"lines": [{"amount": -PRICE - 100, "description": "Too much"}]}
        )
    assert err.value.code == "amount_too_small"
    assert err.value.param == "lines"
    assert "below 0" in str(err.value.user_message)
    after = client.v1.invoices.retrieve(other.id)
    assert after.total == PRICE
    assert len(after.lines.data) == 1


def test_a_credit_line_is_held_to_the_amount_cap(client: stripe.StripeClient) -> None:
    inv = open_invoice(client, finalize=False)
    with pytest.raises(stripe.InvalidRequestError) as err:
        client.v1.invoices.add_lines(inv.id, params={"lines": [{"amount": -100_000_000}]})
    assert err.value.code == "amount_too_large"


# -- credit notes on an open invoice ----------------------------------------------------------


def test_credit_note_on_an_open_invoice_reduces_what_is_due(client: stripe.StripeClient) -> None:
    inv = open_invoice(client)
    line = inv.lines.data[0].id
    note = _note(
        client,
        {
            "invoice": inv.id,
            "lines": [{"type": "invoice_line_item", "invoice_line_item": line, "amount": 50_000}],
            "reason": "order_change",
            "memo": "Strap swapped for the bracelet",
            "metadata": {"tracker_credit_id": "c-1"},
        },
    )
    assert note.status == "issued"
    assert note.type == "pre_payment"
    assert (note.total, note.pre_payment_amount, note.post_payment_amount) == (50_000, 50_000, 0)
    assert note.number == f"{inv.number}-CN-01"
    assert note.lines.data[0].invoice_line_item == line
    assert note.metadata.to_dict() == {"tracker_credit_id": "c-1"}
    after = client.v1.invoices.retrieve(inv.id)
    assert after.status == "open"
    assert after.total == PRICE
    assert after.amount_due == after.amount_remaining == PRICE - 50_000
    assert after.pre_payment_credit_notes_amount == 50_000
    assert after.post_payment_credit_notes_amount == 0
    created, updated = _events(client)[1], _events(client)[0]
    assert created.type == "credit_note.created"
    assert created.data.object["id"] == note.id
    assert updated.type == "invoice.updated"
    assert updated.data.previous_attributes["amount_due"] == PRICE


def test_credit_note_cannot_take_more_than_is_due(client: stripe.StripeClient) -> None:
    inv = open_invoice(client)
    _note(client, {"invoice": inv.id, "amount": PRICE - 1000})
    err = _refused(client, {"invoice": inv.id, "amount": 2000})
    assert err.code is None
    assert err.param == "amount"
    assert "more than the invoice's amount remaining (1000)" in str(err.user_message)
    assert client.v1.invoices.retrieve(inv.id).amount_remaining == 1000


def test_a_fully_credited_open_invoice_is_paid_with_nothing_charged(
    client: stripe.StripeClient,
) -> None:
    inv = open_invoice(client)
    _note(client, {"invoice": inv.id, "amount": PRICE, "reason": "duplicate"})
    after = client.v1.invoices.retrieve(inv.id)
    assert after.status == "paid"
    assert after.amount_paid == 0
    assert after.amount_remaining == 0
    assert after.status_transitions.paid_at is not None
    assert "invoice.paid" in [e.type for e in _events(client)]
    payments = client.v1.invoice_payments.list(params={"invoice": inv.id}).data
    assert [p.status for p in payments] == ["canceled"]


def test_line_credits_by_quantity_and_amount_stop_at_the_line(
    client: stripe.StripeClient,
) -> None:
    cus = customer(client)
    inv = client.v1.invoices.create(
        params={"customer": cus.id, "collection_method": "send_invoice", "days_until_due": 7}
    )
    strap = {
        "price_data": {"currency": "usd", "product_data": {"name": "Strap"}, "unit_amount": 15_000},
        "quantity": 3,
    }
    inv = client.v1.invoices.add_lines(inv.id, params={"lines": [strap]})
    inv = client.v1.invoices.finalize_invoice(inv.id)
    line = inv.lines.data[0].id
    two = {"type": "invoice_line_item", "invoice_line_item": line, "quantity": 2}
    note = _note(client, {"invoice": inv.id, "lines": [two]})
    assert note.total == 30_000
    assert note.lines.data[0].quantity == 2
    err = _refused(client, {"invoice": inv.id, "lines": [two]})
    assert err.param == "lines[0][quantity]"
    assert "remains creditable" in str(err.user_message)
    over = {"type": "invoice_line_item", "invoice_line_item": line, "amount": 15_001}
    assert _refused(client, {"invoice": inv.id, "lines": [over]}).param == "lines[0][amount]"
    gone = {"type": "invoice_line_item", "invoice_line_item": "il_nope", "amount": 1}
    missing = _refused(client, {"invoice": inv.id, "lines": [gone]}, status=404)
    assert missing.code == "resource_missing"


def test_a_custom_line_credits_any_amount_within_what_is_due(
    client: stripe.StripeClient,
) -> None:
    inv = open_invoice(client)
    custom = {
        "type": "custom_line_item",
        "description": "Goodwill",
        "unit_amount": 2500,
        "quantity": 2,
    }
    note = _note(client, {"invoice": inv.id, "lines": [custom], "amount": 5000})
    assert note.total == 5000
    assert note.lines.data[0].type == "custom_line_item"
    mismatch = _refused(client, {"invoice": inv.id, "lines": [custom], "amount": 4000})
    assert "must equal the sum of its lines" in str(mismatch.user_message)


def test_request_checks_reason_and_need_for_an_amount(client: stripe.StripeClient) -> None:
    inv = open_invoice(client)
    bad = _refused(client, {"invoice": inv.id, "amount": 100, "reason": "changed_mind"})
    assert bad.param == "reason"
    assert str(bad.user_message) == (
        "Invalid reason: must be one of duplicate, fraudulent, order_change, or "
        "product_unsatisfactory"
    )
    nothing = _refused(client, {"invoice": inv.id})
    assert nothing.code == "parameter_missing"
    assert _refused(client, {"invoice": "in_nope", "amount": 1}, 404).code == "resource_missing"


def test_only_open_and_paid_invoices_take_credit_notes(client: stripe.StripeClient) -> None:
    draft = open_invoice(client, finalize=False)
    assert "open or paid" in str(_refused(client, {"invoice": draft.id, "amount": 1}).user_message)
    void = client.v1.invoices.void_invoice(open_invoice(client).id)
    assert "this invoice is void" in str(
        _refused(client, {"invoice": void.id, "amount": 1}).user_message
    )


# -- credit notes on a paid invoice -----------------------------------------------------------


def test_refund_on_a_card_paid_invoice_goes_back_to_its_charge(
    sb: Sandbox, client: stripe.StripeClient
) -> None:
    inv = _paid_by_card(sb, client)
    note = _note(
        client,
        {"invoice": inv.id, "amount": 200_000, "refund_amount": 200_000, "reason": "duplicate"},
    )
    assert note.type == "post_payment"
    assert note.post_payment_amount == 200_000
    assert len(note.refunds) == 1
    assert note.refunds[0].amount_refunded == 200_000
    refund = client.v1.refunds.retrieve(str(note.refunds[0].refund))
    assert refund.amount == 200_000
    assert refund.status == "succeeded"
    assert refund.reason == "duplicate"
    intent = client.v1.payment_intents.retrieve(str(refund.payment_intent))
    assert refund.charge == intent.latest_charge
    charge = client.v1.charges.retrieve(str(refund.charge))
    assert charge.amount_refunded == 200_000
    assert charge.refunded is False
    after = client.v1.invoices.retrieve(inv.id)
    assert after.status == "paid"
    assert after.amount_paid == PRICE
    assert after.amount_remaining == 0
    assert after.post_payment_credit_notes_amount == 200_000
    assert after.pre_payment_credit_notes_amount == 0
    types = [e.type for e in _events(client)[:4]]
    assert types == ["invoice.updated", "credit_note.created", "charge.refunded", "refund.created"]


def test_post_payment_amounts_must_add_up_to_the_credit(
    sb: Sandbox, client: stripe.StripeClient
) -> None:
    inv = _paid_by_card(sb, client)
    short = _refused(client, {"invoice": inv.id, "amount": 10_000, "refund_amount": 9_000})
    assert "must equal the credit note's post-payment amount (10000)" in str(short.user_message)
    none = _refused(client, {"invoice": inv.id, "amount": 10_000})
    assert none.param == "refund_amount"
    mixed = _note(
        client,
        {
            "invoice": inv.id,
            "amount": 10_000,
            "refund_amount": 4_000,
            "out_of_band_amount": 5_000,
            "credit_amount": 1_000,
        },
    )
    assert mixed.out_of_band_amount == 5_000
    assert client.v1.customers.retrieve(str(inv.customer)).balance == -1_000


def test_credits_on_a_paid_invoice_stop_at_what_was_paid(
    sb: Sandbox, client: stripe.StripeClient
) -> None:
    inv = _paid_by_card(sb, client)
    _note(client, {"invoice": inv.id, "amount": PRICE - 500, "out_of_band_amount": PRICE - 500})
    err = _refused(client, {"invoice": inv.id, "amount": 1000, "out_of_band_amount": 1000})
    assert "cannot exceed its total" in str(err.user_message)
    last = _note(client, {"invoice": inv.id, "amount": 500, "refund_amount": 500})
    assert last.total == 500
    assert client.v1.invoices.retrieve(inv.id).post_payment_credit_notes_amount == PRICE


def test_a_wire_paid_invoice_is_credited_out_of_band_not_refunded(
    client: stripe.StripeClient,
) -> None:
    inv = client.v1.invoices.pay(open_invoice(client).id, params={"paid_out_of_band": True})
    err = _refused(client, {"invoice": inv.id, "amount": 1000, "refund_amount": 1000})
    assert err.param == "refund_amount"
    assert "out_of_band_amount" in str(err.user_message)
    note = _note(client, {"invoice": inv.id, "amount": 1000, "out_of_band_amount": 1000})
    assert note.refunds == []
    assert note.out_of_band_amount == 1000


def test_mixed_credit_note_on_a_part_credited_then_paid_invoice(
    sb: Sandbox, client: stripe.StripeClient
) -> None:
    inv = open_invoice(client)
    _note(client, {"invoice": inv.id, "amount": 50_000})
    sb.pay_as_buyer(inv.id)
    paid = client.v1.invoices.retrieve(inv.id)
    assert paid.amount_paid == PRICE - 50_000
    rest = _note(
        client, {"invoice": inv.id, "amount": PRICE - 50_000, "refund_amount": PRICE - 50_000}
    )
    assert rest.type == "post_payment"
    assert _refused(client, {"invoice": inv.id, "amount": 10, "out_of_band_amount": 10})


# -- void, read, preview ----------------------------------------------------------------------


def test_void_gives_back_what_was_due_once(client: stripe.StripeClient) -> None:
    inv = open_invoice(client)
    note = _note(client, {"invoice": inv.id, "amount": 30_000})
    voided = client.v1.credit_notes.void_credit_note(note.id)
    assert voided.status == "void"
    assert voided.voided_at is not None
    after = client.v1.invoices.retrieve(inv.id)
    assert after.amount_remaining == PRICE
    assert after.pre_payment_credit_notes_amount == 0
    assert [e.type for e in _events(client)[:2]] == ["invoice.updated", "credit_note.voided"]
    with pytest.raises(stripe.InvalidRequestError, match="already void"):
        client.v1.credit_notes.void_credit_note(note.id)
    # a void credit note no longer counts against the invoice
    assert _note(client, {"invoice": inv.id, "amount": PRICE}).total == PRICE


def test_a_refunded_credit_note_cannot_be_voided(sb: Sandbox, client: stripe.StripeClient) -> None:
    inv = _paid_by_card(sb, client)
    note = _note(client, {"invoice": inv.id, "amount": 1000, "refund_amount": 1000})
    with pytest.raises(stripe.InvalidRequestError, match="refund"):
        client.v1.credit_notes.void_credit_note(note.id)
    assert client.v1.credit_notes.retrieve(note.id).status == "issued"


def test_list_retrieve_lines_and_preview(client: stripe.StripeClient) -> None:
    inv, other = open_invoice(client), open_invoice(client)
    first = _note(client, {"invoice": inv.id, "amount": 100})
    second = _note(client, {"invoice": inv.id, "amount": 200})
    _note(client, {"invoice": other.id, "amount": 300})
    listed = client.v1.credit_notes.list(params={"invoice": inv.id}).data
    assert [n.id for n in listed] == [second.id, first.id]  # newest first
    assert client.v1.credit_notes.retrieve(first.id).amount == 100
    assert client.v1.credit_notes.line_items.list(first.id).data == []
    preview = client.v1.credit_notes.preview(params={"invoice": inv.id, "amount": 400})
    assert preview.total == 400
    assert preview.id.startswith("cnprv_")
    assert client.v1.invoices.retrieve(inv.id).amount_remaining == PRICE - 300
    assert len(client.v1.credit_notes.list(params={"invoice": inv.id}).data) == 2
    with pytest.raises(stripe.InvalidRequestError) as err:
        client.v1.credit_notes.retrieve("cn_nope")
    assert err.value.code == "resource_missing"


def test_credit_note_pdf_is_served(client: stripe.StripeClient) -> None:
    note = _note(client, {"invoice": open_invoice(client).id, "amount": 100, "memo": "Thanks"})
    resp = httpx.get(note.pdf)
    assert resp.status_code == 200
    assert resp.headers["content-type"] == "application/pdf"
    assert resp.content.startswith(b"%PDF")
    assert httpx.get(note.pdf + "x").status_code == 404


# -- idempotency and lost answers -------------------------------------------------------------


def test_same_key_same_body_same_credit_note(sb: Sandbox, client: stripe.StripeClient) -> None:
    inv = open_invoice(client)
    params = {"invoice": inv.id, "amount": 1000, "reason": "order_change"}
    first = _note(client, params, key="credit:1")
    again = _note(client, params, key="credit:1")
    assert again.id == first.id
    assert again.last_response.headers.get("Idempotent-Replayed") == "true"
    assert client.v1.invoices.retrieve(inv.id).amount_remaining == PRICE - 1000
    with pytest.raises(stripe.IdempotencyError):
        _note(client, {**params, "amount": 2000}, key="credit:1")


def test_answer_lost_after_the_credit_note_was_made_then_retried(sb: Sandbox) -> None:
    client = make_client(sb, timeout=5)
    inv = open_invoice(client)
    sb.inject_faults(kinds=["drop"], next=1, phase="after", path_prefix="/v1/credit_notes")
    with pytest.raises(stripe.APIConnectionError):
        _note(client, {"invoice": inv.id, "amount": 1000}, key="credit:lost")
    assert len(client.v1.credit_notes.list(params={"invoice": inv.id}).data) == 1  # applied
    retried = _note(client, {"invoice": inv.id, "amount": 1000}, key="credit:lost")
    listed = client.v1.credit_notes.list(params={"invoice": inv.id}).data
    assert [n.id for n in listed] == [retried.id]
    assert client.v1.invoices.retrieve(inv.id).amount_remaining == PRICE - 1000


def test_no_credit_while_a_bank_debit_is_processing(
    sb: Sandbox, client: stripe.StripeClient
) -> None:
    inv = open_invoice(client)
    sb.start_bank_debit(inv.id)
    err = _refused(client, {"invoice": inv.id, "amount": 1000})
    assert "payment processing" in str(err.user_message)
    sb.release_debit(inv.id)
    paid = client.v1.invoices.retrieve(inv.id)
    assert paid.status == "paid"
    assert _note(client, {"invoice": inv.id, "amount": 1000, "refund_amount": 1000}).total == 1000
