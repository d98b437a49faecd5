"""Stripe's invoice rules, as the simulator enforces them."""

from __future__ import annotations

import pytest
import stripe

from tracker_desktop.sandbox import Sandbox

from .conftest import customer, open_invoice


def test_finalize_non_draft_refused(client: stripe.StripeClient) -> None:
    inv = open_invoice(client)
    with pytest.raises(stripe.InvalidRequestError) as err:
        client.v1.invoices.finalize_invoice(inv.id)
    assert err.value.http_status == 400
    assert "already finalized" in str(err.value.user_message)


def test_lines_only_on_drafts(client: stripe.StripeClient) -> None:
    inv = open_invoice(client)
    with pytest.raises(stripe.InvalidRequestError, match="draft"):
        client.v1.invoices.add_lines(inv.id, params={"lines": [{"amount": 100}]})


def test_void_paid_refused_and_void_open_ok(sb: Sandbox, client: stripe.StripeClient) -> None:
    paid = client.v1.invoices.pay(open_invoice(client).id, params={"paid_out_of_band": True})
    assert paid.status == "paid"
    assert paid.amount_paid == paid.amount_due
    assert paid.amount_remaining == 0
    assert paid.status_transitions.paid_at is not None
    with pytest.raises(stripe.InvalidRequestError, match="void"):
        client.v1.invoices.void_invoice(paid.id)
    voided = client.v1.invoices.void_invoice(open_invoice(client).id)
    assert voided.status == "void"
    assert voided.status_transitions.voided_at is not None


def test_uncollectible_then_paid_or_void(client: stripe.StripeClient) -> None:
    inv = client.v1.invoices.mark_uncollectible(open_invoice(client).id)
    assert inv.status == "uncollectible"
    assert inv.status_transitions.marked_uncollectible_at is not None
    assert client.v1.invoices.pay(inv.id, params={"paid_out_of_band": True}).status == "paid"
    other = client.v1.invoices.mark_uncollectible(open_invoice(client).id)
    assert client.v1.invoices.void_invoice(other.id).status == "void"
    with pytest.raises(stripe.InvalidRequestError):
        client.v1.invoices.mark_uncollectible(other.id)  # void is final


def test_draft_cannot_be_voided(client: stripe.StripeClient) -> None:
    with pytest.raises(stripe.InvalidRequestError):
        client.v1.invoices.void_invoice(open_invoice(client, finalize=False).id)


def test_amount_over_stripe_max_refused(client: stripe.StripeClient) -> None:
    with pytest.raises(stripe.InvalidRequestError) as err:
        open_invoice(client, amount=100_000_000)  # $1,000,000.00: nine digits
    assert err.value.code == "amount_too_large"
    assert err.value.param == "lines[0][price_data][unit_amount]"
    ok = open_invoice(client, amount=99_999_999)
    assert ok.total == 99_999_999


def test_total_over_max_refused(client: stripe.StripeClient) -> None:
    draft = open_invoice(client, amount=60_000_000, finalize=False)
    with pytest.raises(stripe.InvalidRequestError) as err:
        client.v1.invoices.add_lines(draft.id, params={"lines": [{"amount": 60_000_000}]})
    assert err.value.code == "amount_too_large"
    assert client.v1.invoices.retrieve(draft.id).total == 60_000_000  # nothing half-added


def test_jpy_is_whole_yen(sb: Sandbox, client: stripe.StripeClient) -> None:
    inv = open_invoice(client, amount=1_500_000, currency="jpy")
    assert inv.currency == "jpy"
    assert inv.total == 1_500_000
    draft = open_invoice(client, currency="jpy", finalize=False, amount=1)
    bad = {"currency": "jpy", "product_data": {"name": "Strap"}, "unit_amount_decimal": "10.5"}
    with pytest.raises(stripe.InvalidRequestError) as err:
        client.v1.invoices.add_lines(draft.id, params={"lines": [{"price_data": bad}]})
    assert err.value.param == "lines[0][price_data][unit_amount_decimal]"
    assert inv.hosted_invoice_url
    assert "¥1,500,000" in stripe_page(inv.hosted_invoice_url)


def stripe_page(url: str) -> str:
    import httpx

    return httpx.get(url).text


def test_three_decimal_amounts_end_in_zero(client: stripe.StripeClient) -> None:
    with pytest.raises(stripe.InvalidRequestError) as err:
        open_invoice(client, amount=12_345, currency="bhd")
    assert err.value.code is None  # Stripe documents the rule, not a code for it
    assert err.value.param == "lines[0][price_data][unit_amount]"
    assert open_invoice(client, amount=12_340, currency="bhd").total == 12_340


def test_line_currency_must_match(client: stripe.StripeClient) -> None:
    draft = open_invoice(client, finalize=False)
    line = {"price_data": {"currency": "eur", "product_data": {"name": "x"}, "unit_amount": 1}}
    with pytest.raises(stripe.InvalidRequestError) as err:
        client.v1.invoices.add_lines(draft.id, params={"lines": [line]})
    assert err.value.param == "lines[0][price_data][currency]"


def test_update_draft_then_only_metadata(client: stripe.StripeClient) -> None:
    draft = open_invoice(client, finalize=False)
    draft = client.v1.invoices.update(draft.id, params={"description": "Deposit", "footer": "Thx"})
    assert (draft.description, draft.footer) == ("Deposit", "Thx")
    inv = client.v1.invoices.finalize_invoice(draft.id)
    with pytest.raises(stripe.InvalidRequestError):
        client.v1.invoices.update(inv.id, params={"description": "changed"})
    inv = client.v1.invoices.update(inv.id, params={"metadata": {"note": "wire expected"}})
    assert inv.metadata["note"] == "wire expected"


def test_zero_total_invoice_is_paid_at_finalize(client: stripe.StripeClient) -> None:
    cus = customer(client)
    inv = client.v1.invoices.create(
        params={"customer": cus.id, "collection_method": "send_invoice", "days_until_due": 1}
    )
    assert client.v1.invoices.finalize_invoice(inv.id).status == "paid"


def test_send_needs_email_and_finalizes_draft(client: stripe.StripeClient) -> None:
    inv = client.v1.invoices.send_invoice(open_invoice(client, finalize=False).id)
    assert inv.status == "open"
    events = client.v1.events.list(params={"types": ["invoice.sent", "invoice.finalized"]})
    assert [e.type for e in events.data] == ["invoice.sent", "invoice.finalized"]


def test_card_decline_then_success(sb: Sandbox, client: stripe.StripeClient) -> None:
    inv = open_invoice(client)
    assert sb.pay_as_buyer(inv.id, "4000000000000002") == "Your card was declined."
    inv = client.v1.invoices.retrieve(inv.id)
    assert inv.status == "open"
    assert inv.attempt_count == 1
    pays = client.v1.invoice_payments.list(
        params={"invoice": inv.id, "expand": ["data.payment.payment_intent"]}
    )
    intent = pays.data[0].payment.payment_intent
    assert isinstance(intent, stripe.PaymentIntent)
    assert intent.last_payment_error is not None
    assert intent.last_payment_error.message == "Your card was declined."
    failed = client.v1.events.list(params={"types": ["invoice.payment_failed"]})
    assert failed.data[0].data.object["id"] == inv.id
    sb.pay_as_buyer(inv.id, "4242424242424242")
    inv = client.v1.invoices.retrieve(inv.id)
    assert (inv.status, inv.attempt_count, inv.amount_remaining) == ("paid", 2, 0)
    pays = client.v1.invoice_payments.list(params={"invoice": inv.id})
    assert isinstance(pays.data[0], stripe.InvoicePayment)
    assert pays.data[0].status == "paid"
    assert pays.data[0].amount_paid == inv.amount_paid


def test_bank_debit_processing_until_released(sb: Sandbox, client: stripe.StripeClient) -> None:
    inv = open_invoice(client)
    sb.start_bank_debit(inv.id)
    inv = client.v1.invoices.retrieve(inv.id)
    assert inv.status == "open"
    assert inv.amount_paid == 0
    pay = client.v1.invoice_payments.list(
        params={"invoice": inv.id, "expand": ["data.payment.payment_intent"]}
    ).data[0]
    assert pay.status == "open"
    assert isinstance(pay.payment.payment_intent, stripe.PaymentIntent)
    assert pay.payment.payment_intent.status == "processing"
    with pytest.raises(stripe.InvalidRequestError, match="processing"):
        client.v1.invoices.void_invoice(inv.id)
    sb.release_debit(inv.id)
    assert client.v1.invoices.retrieve(inv.id).status == "paid"


def test_failed_debit_leaves_invoice_open(sb: Sandbox, client: stripe.StripeClient) -> None:
    inv = open_invoice(client)
    sb.start_bank_debit(inv.id)
    sb.release_debit(inv.id, succeed=False)
    assert client.v1.invoices.retrieve(inv.id).status == "open"
    types = [e.type for e in client.v1.events.list(params={"limit": 3}).data]
    assert "invoice.payment_failed" in types


def test_pay_with_saved_card_via_api(sb: Sandbox, client: stripe.StripeClient) -> None:
    inv = open_invoice(client)
    with pytest.raises(stripe.CardError) as err:
        client.v1.invoices.pay(inv.id, params={"payment_method": "pm_card_chargeDeclined"})
    assert err.value.code == "card_declined"
    assert err.value.http_status == 402
    paid = client.v1.invoices.pay(inv.id, params={"payment_method": "pm_card_visa"})
    assert paid.status == "paid"


def test_delete_draft_only(sb: Sandbox, client: stripe.StripeClient) -> None:
    draft = open_invoice(client, finalize=False)
    gone = client.v1.invoices.delete(draft.id)
    assert gone.id == draft.id
    assert gone.deleted is True
    with pytest.raises(stripe.InvalidRequestError) as err:
        client.v1.invoices.retrieve(draft.id)
    assert err.value.code == "resource_missing"
    assert [e.type for e in client.v1.events.list(params={"limit": 1}).data] == ["invoice.deleted"]
    with pytest.raises(stripe.InvalidRequestError, match="draft"):
        client.v1.invoices.delete(open_invoice(client).id)


def test_deleted_customer_answers_deleted_and_is_gone_from_lists(
    sb: Sandbox, client: stripe.StripeClient
) -> None:
    cus = customer(client, "gone@example.com")
    assert client.v1.customers.delete(cus.id).deleted is True
    stub = client.v1.customers.retrieve(
        cus.id, params={"expand": ["invoice_settings.default_payment_method"]}
    )
    assert stub.to_dict() == {"id": cus.id, "object": "customer", "deleted": True}
    assert client.v1.customers.list(params={"email": "gone@example.com"}).data == []
    with pytest.raises(stripe.InvalidRequestError) as err:
        client.v1.invoices.create(params={"customer": cus.id})
    assert (err.value.code, err.value.param) == ("resource_missing", "customer")
