"""The ``/v1`` route table: path pattern, stripe-python params TypedDict, handler, permission."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import stripe.params as sp

from . import credit_notes as cn
from . import customers, invoices, payments, search, transitions
from .errors import ApiError, missing
from .facts import EVENT_TYPES_MAX
from .listing import newest_first, page, range_ok
from .state import Account, Ctx, Obj, World

Handler = Callable[[World, Account, list[str], dict[str, Any], Ctx], Obj]
CN, CN_LINES = "credit_note", "list:credit_note_line_item"


@dataclass(frozen=True)
class Route:
    method: str
    pattern: re.Pattern[str]
    params: type
    run: Handler
    resource: str  # for restricted keys: the permission family (``rak_<resource>_read``)
    returns: str  # what it answers with: "invoice", "list:invoice", "search_result:customer"


def _r(
    method: str, path: str, params: type, run: Handler, resource: str, returns: str = ""
) -> Route:
    pattern = re.compile("^" + path.replace("{id}", "([^/]+)") + "$")
    return Route(method, pattern, params, run, resource, returns or resource)


def _events(world: World, acct: Account, _: list[str], p: dict[str, Any], __: Ctx) -> Obj:
    acct.expire_events()
    types = set(p.get("types") or [])
    if len(types) > EVENT_TYPES_MAX:
        raise ApiError(400, f"You may pass at most {EVENT_TYPES_MAX} types.", param="types")
    one = p.get("type")
    if one and types:
        raise ApiError(
            400,
            "You may only specify one of these parameters: type, types.",
            code="parameters_exclusive",
            param="type",
        )

    def keep(e: Obj) -> bool:
        if one and not re.fullmatch(re.escape(one).replace(r"\*", ".*"), e["type"]):
            return False
        return (not types or e["type"] in types) and range_ok(e["created"], p.get("created"))

    cursor = p.get("ending_before") or p.get("starting_after")
    if cursor in acct.expired_events:
        # a cursor that aged out is an error: the caller must reconcile without events
        raise ApiError(
            400,
            f"No such event: '{cursor}'; events are kept for 30 days.",
            code="resource_missing",
            param="ending_before" if p.get("ending_before") else "starting_after",
        )
    # the cursor may be an event the filter drops; it still marks the position (exclusive)
    items = newest_first(acct.events.values(), lambda e: keep(e) or e["id"] == cursor)
    return page(items, p, "/v1/events", "event")


def _event(world: World, acct: Account, ids: list[str], p: dict[str, Any], ctx: Ctx) -> Obj:
    acct.expire_events()
    if ids[0] not in acct.events:
        raise missing("event", ids[0])
    return acct.events[ids[0]]


def _get(table: str, kind: str) -> Handler:
    def run(world: World, acct: Account, ids: list[str], p: dict[str, Any], ctx: Ctx) -> Obj:
        obj: Obj | None = getattr(acct, table).get(ids[0])
        if obj is None:
            raise missing(kind, ids[0])
        return obj

    return run


def _pay(world: World, acct: Account, ids: list[str], p: dict[str, Any], ctx: Ctx) -> Obj:
    if p.get("paid_out_of_band"):
        return payments.pay_out_of_band(acct, ids[0], ctx)
    return payments.pay_with_saved(acct, ids[0], p.get("payment_method"), ctx)


def _finalize(world: World, acct: Account, ids: list[str], p: dict[str, Any], ctx: Ctx) -> Obj:
    inv = invoices.finalize(world, acct, ids[0], ctx)
    payments.open_payment(acct, inv)
    payments.settle_zero(acct, inv, ctx)
    return inv


def _send(world: World, acct: Account, ids: list[str], p: dict[str, Any], ctx: Ctx) -> Obj:
    if invoices.get(acct, ids[0])["status"] == "draft":
        _finalize(world, acct, ids, {}, ctx)  # Stripe finalizes a draft before sending it
    return transitions.send(acct, ids[0], ctx)


def _invoice_payments(world: World, acct: Account, _: list[str], p: dict[str, Any], __: Ctx) -> Obj:
    return page(transitions.attempts(acct, p), p, "/v1/invoice_payments", "invoice_payment")


def _search(kind: str, table: str) -> Handler:
    def run(world: World, acct: Account, ids: list[str], p: dict[str, Any], ctx: Ctx) -> Obj:
        return search.search(acct, kind, getattr(acct, table), p)

    return run


# First match wins: `/v1/invoices/search` comes before `/v1/invoices/{id}`.
ROUTES = [
    _r(
        "GET",
        "/v1/account",
        sp.AccountRetrieveCurrentParams,
        lambda w, a, i, p, c: customers.account_object(a),
        "account",
    ),
    _r(
        "GET",
        "/v1/customers/search",
        sp.CustomerSearchParams,
        _search("customer", "customers"),
        "customer",
        "search_result:customer",
    ),
    _r(
        "POST",
        "/v1/customers",
        sp.CustomerCreateParams,
        lambda w, a, i, p, c: customers.create(a, p, c),
        "customer",
    ),
    _r(
        "GET",
        "/v1/customers",
        sp.CustomerListParams,
        lambda w, a, i, p, c: customers.list_(a, p),
        "customer",
        "list:customer",
    ),
    _r(
        "POST",
        "/v1/customers/{id}",
        sp.CustomerUpdateParams,
        lambda w, a, i, p, c: customers.update(a, i[0], p, c),
        "customer",
    ),
    _r(
        "GET",
        "/v1/customers/{id}",
        sp.CustomerRetrieveParams,
        lambda w, a, i, p, c: customers.retrieve(a, i[0]),
        "customer",
    ),
    _r(
        "DELETE",
        "/v1/customers/{id}",
        sp.CustomerDeleteParams,
        lambda w, a, i, p, c: customers.delete(a, i[0], c),
        "customer",
    ),
    _r(
        "GET",
        "/v1/invoices/search",
        sp.InvoiceSearchParams,
        _search("invoice", "invoices"),
        "invoice",
        "search_result:invoice",
    ),
    _r(
        "POST",
        "/v1/invoices",
        sp.InvoiceCreateParams,
        lambda w, a, i, p, c: invoices.create(w, a, p, c),
        "invoice",
    ),
    _r(
        "GET",
        "/v1/invoices",
        sp.InvoiceListParams,
        lambda w, a, i, p, c: invoices.list_(a, p),
        "invoice",
        "list:invoice",
    ),
    _r(
        "POST",
        "/v1/invoices/{id}",
        sp.InvoiceUpdateParams,
        lambda w, a, i, p, c: invoices.update(a, i[0], p, c),
        "invoice",
    ),
    _r(
        "GET", "/v1/invoices/{id}", sp.InvoiceRetrieveParams, _get("invoices", "invoice"), "invoice"
    ),
    _r(
        "DELETE",
        "/v1/invoices/{id}",
        sp.InvoiceDeleteParams,
        lambda w, a, i, p, c: invoices.delete(a, i[0], c),
        "invoice",
    ),
    _r(
        "GET",
        "/v1/invoices/{id}/lines",
        sp.InvoiceListLinesParams,
        lambda w, a, i, p, c: invoices.list_lines(a, i[0], p),
        "invoice",
        "list:line_item",
    ),
    _r(
        "POST",
        "/v1/invoices/{id}/add_lines",
        sp.InvoiceAddLinesParams,
        lambda w, a, i, p, c: invoices.add_lines(a, i[0], p, c),
        "invoice",
    ),
    _r("POST", "/v1/invoices/{id}/finalize", sp.InvoiceFinalizeInvoiceParams, _finalize, "invoice"),
    _r("POST", "/v1/invoices/{id}/send", sp.InvoiceSendInvoiceParams, _send, "invoice"),
    _r(
        "POST",
        "/v1/invoices/{id}/void",
        sp.InvoiceVoidInvoiceParams,
        lambda w, a, i, p, c: transitions.void(a, i[0], c),
        "invoice",
    ),
    _r(
        "POST",
        "/v1/invoices/{id}/mark_uncollectible",
        sp.InvoiceMarkUncollectibleParams,
        lambda w, a, i, p, c: transitions.mark_uncollectible(a, i[0], c),
        "invoice",
    ),
    _r("POST", "/v1/invoices/{id}/pay", sp.InvoicePayParams, _pay, "invoice"),
    _r(
        "GET",
        "/v1/invoice_payments",
        sp.InvoicePaymentListParams,
        _invoice_payments,
        "invoice",
        "list:invoice_payment",
    ),
    _r(
        "GET",
        "/v1/invoice_payments/{id}",
        sp.InvoicePaymentRetrieveParams,
        _get("invoice_payments", "invoice payment"),
        "invoice",
        "invoice_payment",
    ),
    _r(
        "GET",
        "/v1/payment_intents/{id}",
        sp.PaymentIntentRetrieveParams,
        _get("payment_intents", "payment_intent"),
        "payment_intent",
    ),
    _r(
        "GET",
        "/v1/payment_methods/{id}",
        sp.PaymentMethodRetrieveParams,
        _get("payment_methods", "payment_method"),
        "payment_method",
    ),
    # `/v1/credit_notes/preview` before `/v1/credit_notes/{id}`
    _r("GET", "/v1/credit_notes/preview", sp.CreditNotePreviewParams, cn.preview, CN),
    _r("POST", "/v1/credit_notes", sp.CreditNoteCreateParams, cn.create, CN),
    _r("GET", "/v1/credit_notes", sp.CreditNoteListParams, cn.list_, CN, "list:credit_note"),
    _r("GET", "/v1/credit_notes/{id}", sp.CreditNoteRetrieveParams, cn.retrieve, CN),
    _r("GET", "/v1/credit_notes/{id}/lines", sp.CreditNoteListLinesParams, cn.lines, CN, CN_LINES),
    _r("POST", "/v1/credit_notes/{id}/void", sp.CreditNoteVoidCreditNoteParams, cn.void, CN),
    _r("GET", "/v1/charges/{id}", sp.ChargeRetrieveParams, _get("charges", "charge"), "charge"),
    _r("GET", "/v1/refunds/{id}", sp.RefundRetrieveParams, _get("refunds", "refund"), "refund"),
    _r("GET", "/v1/events", sp.EventListParams, _events, "event", "list:event"),
    _r("GET", "/v1/events/{id}", sp.EventRetrieveParams, _event, "event"),
]
