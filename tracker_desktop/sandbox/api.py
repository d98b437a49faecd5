"""The ``/v1`` API: authentication, routing, validation, idempotency, expand.

``handle`` is transport-free: it takes the method, path, query, body and headers and returns
status, JSON body and extra headers, so the HTTP layer only deals with sockets and faults.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from . import transitions
from .errors import ApiError, mask_key
from .facts import IDEMPOTENCY_KEY_MAX_LENGTH, IDEMPOTENCY_KEY_SECONDS
from .forms import FormError, parse_form
from .listing import expand
from .routes import ROUTES, Route
from .state import Account, Ctx, Saved, World
from .validation import validate


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
        access = "read" if method == "GET" else "write"
        raise ApiError(
            403,
            f"The provided key '{mask_key(key)}' does not have the required "
            f"permissions for this endpoint on account '{_acct_id(key)}'. Having "
            f"the 'rak_{route.resource}_{access}' permission would allow this "
            "request to continue.",
        )
    return key


def _acct_id(key: str) -> str:
    return "acct_1" + hashlib.sha256(key.encode()).hexdigest().upper()[:15]


@dataclass
class Answer:
    status: int
    body: bytes
    headers: dict[str, str]
    returns: str = ""  # what the endpoint answers with, for stripe_model.check_answer


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
        idem = headers.get("idempotency-key") if method == "POST" else None
        if idem is not None and len(idem) > IDEMPOTENCY_KEY_MAX_LENGTH:
            raise ApiError(
                400,
                f"Invalid Idempotency-Key: it is {len(idem)} characters long; Stripe accepts "
                f"at most {IDEMPOTENCY_KEY_MAX_LENGTH}.",
            )
        raw = parse_form(query if method in ("GET", "DELETE") else body)
        params = validate(raw, route.params)
    except FormError as exc:
        return _error(ApiError(400, str(exc), param=exc.param), request_id)
    except ApiError as exc:
        return _error(exc, request_id)
    with world.lock:
        acct = world.account(key)
        if idem:
            replay = _replay(acct, idem, method, path, raw, request_id)
            if replay:
                return replay
        ctx = Ctx(request_id=request_id, idempotency_key=idem)
        transitions.sweep_overdue(acct)
        try:
            obj = route.run(world, acct, ids, params, ctx)
            answer = Answer(
                200, _json(expand(acct, obj, params.get("expand") or [])), {}, route.returns
            )
        except ApiError as exc:
            answer = _error(exc, request_id)
        if idem:
            fp = _fingerprint(method, path, raw)
            acct.idempotency[idem] = Saved(fp, answer.status, answer.body, answer.returns)
            acct.idempotency_at[idem] = world.clock.now()
        return answer


def _fingerprint(method: str, path: str, raw: dict[str, Any]) -> str:
    return hashlib.sha256(f"{method} {path} {json.dumps(raw, sort_keys=True)}".encode()).hexdigest()


def _replay(
    acct: Account, idem: str, method: str, path: str, raw: dict[str, Any], request_id: str
) -> Answer | None:
    saved = acct.idempotency.get(idem)
    if saved and acct.clock.now() - acct.idempotency_at.get(idem, 0) > IDEMPOTENCY_KEY_SECONDS:
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
    return Answer(saved.status, saved.body, {"Idempotent-Replayed": "true"}, saved.returns)


def _error(exc: ApiError, request_id: str) -> Answer:
    headers = {}
    if exc.should_retry is not None:
        headers["Stripe-Should-Retry"] = "true" if exc.should_retry else "false"
    return Answer(exc.status, _json(exc.body(request_id)), headers)
