"""The ``/v1`` API: authentication, routing, validation, idempotency, expand.

``handle`` is transport-free: it takes the method, path, query, body and headers and returns
status, JSON body and extra headers, so the HTTP layer only deals with sockets and faults.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import stripe.params as sp

from . import customers, invoices, payments
from .errors import ApiError, mask_key, missing
from .forms import FormError, parse_form
from .listing import expand, newest_first, page, range_ok
from .state import Account, Ctx, Obj, Saved, World
from .validation import validate

Handler = Callable[[World, Account, list[str], dict[str, Any], Ctx], Obj]
IDEMPOTENCY_TTL = 24 * 3600


@dataclass(frozen=True)
class Route:
    method: str
    pattern: re.Pattern[str]
    params: type
    run: Handler
    resource: str  # for restricted keys: the permission family (``rak_<resource>_read``)


def _r(method: str, path: str, params: type, run: Handler, resource: str) -> Route:
    return Route(
        method, re.compile("^" + path.replace("{id}", "([^/]+)") + "$"), params, run, resource
    )


def _events(world: World, acct: Account, _: list[str], p: dict[str, Any], __: Ctx) -> Obj:
    acct.expire_events()
    types = set(p.get("types") or [])
    if len(types) > 20:
        raise ApiError(400, "You may pass at most 20 types.", param="types")
    one = p.get("type")
    if one and types:
        raise ApiError(
            400, "You may only specify one of these parameters: type, types.", param="type"
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
    return payments.send(acct, ids[0], ctx)


def _invoice_payments(world: World, acct: Account, _: list[str], p: dict[str, Any], __: Ctx) -> Obj:
    return page(payments.attempts(acct, p), p, "/v1/invoice_payments", "invoice_payment")


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
        lambda w, a, i, p, c: customers.search(a, p),
        "customer",
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
        _get("customers", "customer"),
        "customer",
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
        "GET",
        "/v1/invoices/{id}/lines",
        sp.InvoiceListLinesParams,
        lambda w, a, i, p, c: invoices.list_lines(a, i[0], p),
        "invoice",
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
        lambda w, a, i, p, c: payments.void(a, i[0], c),
        "invoice",
    ),
    _r(
        "POST",
        "/v1/invoices/{id}/mark_uncollectible",
        sp.InvoiceMarkUncollectibleParams,
        lambda w, a, i, p, c: payments.mark_uncollectible(a, i[0], c),
        "invoice",
    ),
    _r("POST", "/v1/invoices/{id}/pay", sp.InvoicePayParams, _pay, "invoice"),
    _r("GET", "/v1/invoice_payments", sp.InvoicePaymentListParams, _invoice_payments, "invoice"),
    _r(
        "GET",
        "/v1/invoice_payments/{id}",
        sp.InvoicePaymentRetrieveParams,
        _get("invoice_payments", "invoice payment"),
        "invoice",
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
    _r("GET", "/v1/events", sp.EventListParams, _events, "event"),
    _r("GET", "/v1/events/{id}", sp.EventRetrieveParams, _event, "event"),
]


def authenticate(auth: str | None, route: Route | None, method: str) -> str:
    """The API key from ``Authorization``, or Stripe's 401/403 answers."""
    if not auth:
        raise ApiError(
            401,
            "You did not provide an API key. You need to provide your API key "
            "in the Authorization header, using Bearer auth (e.g. 'Authorization: "
            "Bearer YOUR_SECRET_KEY').",
        )
    scheme, _, key = auth.partition(" ")
    key = key.strip()
    if scheme.lower() != "bearer" or not key:
        raise ApiError(401, "Invalid API Key provided: " + mask_key(key or auth))
    if key.startswith("pk_"):
        raise ApiError(
            401,
            "This API call cannot be made with a publishable API key. Please use a secret API key.",
            code="secret_key_required",
        )
    if "revoked" in key or "expired" in key:
        raise ApiError(401, "Expired API Key provided: " + mask_key(key), code="api_key_expired")
    if not key.startswith(("sk_test_", "rk_test_")) or len(key) < 12:
        raise ApiError(401, "Invalid API Key provided: " + mask_key(key))
    if (
        key.startswith("rk_test_")
        and "noinvoices" in key
        and route
        and route.resource in ("invoice", "payment_intent")
    ):
        access = "write" if method == "POST" else "read"
        raise ApiError(
            403,
            f"The provided key '{mask_key(key)}' does not have the required "
            f"permissions for this endpoint on account '{_acct_id(key)}'. Having "
            f"the 'rak_{route.resource}_{access}' permission would allow this "
            "request to continue.",
            type_="permission_error",
        )
    return key


def _acct_id(key: str) -> str:
    return "acct_1" + hashlib.sha256(key.encode()).hexdigest().upper()[:15]


@dataclass
class Answer:
    status: int
    body: bytes
    headers: dict[str, str]


def _json(obj: Any) -> bytes:
    return json.dumps(obj, separators=(",", ":")).encode()


def handle(
    world: World,
    method: str,
    path: str,
    query: str,
    body: str,
    headers: dict[str, str],
    request_id: str,
) -> Answer:
    """Run one API request under the world lock and shape Stripe's answer."""
    route, ids = None, []
    for r in ROUTES:
        m = r.pattern.match(path)
        if m and r.method == method:
            route, ids = r, list(m.groups())
            break
    try:
        key = authenticate(headers.get("authorization"), route, method)
        if route is None:
            raise ApiError(
                404,
                f"Unrecognized request URL ({method}: {path}). Please see "
                "https://stripe.com/docs or we can help at https://support.stripe.com/.",
            )
        raw = parse_form(query if method == "GET" else body)
        params = validate(raw, route.params)
    except FormError as exc:
        return _error(ApiError(400, str(exc), param=exc.param), request_id)
    except ApiError as exc:
        return _error(exc, request_id)
    idem = headers.get("idempotency-key") if method == "POST" else None
    with world.lock:
        acct = world.account(key)
        if idem:
            replay = _replay(acct, idem, method, path, raw, request_id)
            if replay:
                return replay
        ctx = Ctx(request_id=request_id, idempotency_key=idem)
        payments.sweep_overdue(acct)
        try:
            obj = route.run(world, acct, ids, params, ctx)
            answer = Answer(200, _json(expand(acct, obj, params.get("expand") or [])), {})
        except ApiError as exc:
            answer = _error(exc, request_id)
        if idem:
            fp = _fingerprint(method, path, raw)
            acct.idempotency[idem] = Saved(fp, answer.status, answer.body)
            acct.idempotency_at[idem] = world.clock.now()
        return answer


def _fingerprint(method: str, path: str, raw: dict[str, Any]) -> str:
    return hashlib.sha256(f"{method} {path} {json.dumps(raw, sort_keys=True)}".encode()).hexdigest()


def _replay(
    acct: Account, idem: str, method: str, path: str, raw: dict[str, Any], request_id: str
) -> Answer | None:
    saved = acct.idempotency.get(idem)
    if saved and acct.clock.now() - acct.idempotency_at.get(idem, 0) > IDEMPOTENCY_TTL:
        del acct.idempotency[idem]  # Stripe forgets keys after 24 hours
        saved = None
    if saved is None:
        return None
    if saved.fingerprint != _fingerprint(method, path, raw):
        return _error(
            ApiError(
                400,
                "Keys for idempotent requests can only be used with the "
                "same parameters they were first used with. Try using a key "
                f"other than '{idem}' if you meant to execute a different "
                "request.",
                type_="idempotency_error",
            ),
            request_id,
        )
    return Answer(saved.status, saved.body, {"Idempotent-Replayed": "true"})


def _error(exc: ApiError, request_id: str) -> Answer:
    headers = {}
    if exc.should_retry is not None:
        headers["Stripe-Should-Retry"] = "true" if exc.should_retry else "false"
    return Answer(exc.status, _json(exc.body(request_id)), headers)
