"""The buyer's side over plain HTTP: hosted page, form posts, PDF, link expiry; the CLI."""

from __future__ import annotations

import os
import re
import subprocess
import sys

import httpx
import stripe

from tracker_desktop.sandbox import Sandbox

from .conftest import open_invoice


def test_hosted_page_shows_invoice(client: stripe.StripeClient) -> None:
    inv = open_invoice(client, amount=1_250_000)
    assert inv.hosted_invoice_url is not None
    page = httpx.get(inv.hosted_invoice_url)
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    html = page.text
    assert inv.number is not None
    assert inv.number in html
    assert "$12,500.00" in html
    assert "Rolex Submariner 126610LN" in html
    for element_id in ("card-number", "pay-card", "pay-bank-debit"):
        assert f"id='{element_id}'" in html


def test_form_post_pays_and_declines(client: stripe.StripeClient) -> None:
    inv = open_invoice(client)
    assert inv.hosted_invoice_url is not None
    pay_url = inv.hosted_invoice_url + "/pay"
    declined = httpx.post(pay_url, data={"method": "card", "card_number": "4000 0000 0000 0002"})
    assert "Your card was declined." in declined.text
    assert client.v1.invoices.retrieve(inv.id).status == "open"
    paid = httpx.post(pay_url, data={"method": "card", "card_number": "4242 4242 4242 4242"})
    assert "Payment succeeded" in paid.text
    assert "id='pay-card'" not in paid.text  # nothing left to pay
    assert client.v1.invoices.retrieve(inv.id).status == "paid"


def test_pdf_is_a_real_pdf(client: stripe.StripeClient) -> None:
    inv = open_invoice(client)
    assert inv.invoice_pdf is not None
    resp = httpx.get(inv.invoice_pdf)
    assert resp.status_code == 200
    assert resp.headers["content-type"] == "application/pdf"
    assert resp.content.startswith(b"%PDF")
    assert resp.content.rstrip().endswith(b"%%EOF")
    assert len(resp.content) > 800


def test_unknown_token_404(sb: Sandbox) -> None:
    assert httpx.get(f"{sb.base_url}/i/nope").status_code == 404
    assert httpx.get(f"{sb.base_url}/pdf/nope").status_code == 404


def test_hosted_link_expires_30_days_after_due(sb: Sandbox, client: stripe.StripeClient) -> None:
    inv = open_invoice(client, days=10)
    assert inv.hosted_invoice_url is not None
    sb.advance_clock(39 * 86400)
    assert httpx.get(inv.hosted_invoice_url).status_code == 200
    sb.advance_clock(2 * 86400)
    assert httpx.get(inv.hosted_invoice_url).status_code == 410


def test_cli_prints_url_and_key_and_serves() -> None:
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "tracker_desktop.sandbox", "--port", "0"],
        stdout=subprocess.PIPE,
        text=True,
        env=env,
    )
    try:
        assert proc.stdout is not None
        url_line, key_line = proc.stdout.readline(), proc.stdout.readline()
        url = re.search(r"http://127\.0\.0\.1:\d+", url_line)
        key = re.search(r"sk_test_\w+", key_line)
        assert url
        assert key
        resp = httpx.get(
            f"{url.group()}/v1/account", headers={"Authorization": f"Bearer {key.group()}"}
        )
        assert resp.json()["object"] == "account"
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_the_hosted_page_lists_the_test_cards_and_each_does_what_it_says(
    client: stripe.StripeClient,
) -> None:
    from tracker_desktop.sandbox.render import BANK_DEBIT, listed_cards

    listed = listed_cards()
    numbers = [number for number, _ in listed if number[0].isdigit()]
    assert numbers == [
        "4242 4242 4242 4242",
        "4000 0000 0000 0002",
        "4000 0000 0000 9995",
        "4000 0000 0000 0069",
    ]
    inv = open_invoice(client)
    assert inv.hosted_invoice_url is not None
    page = httpx.get(inv.hosted_invoice_url).text
    assert "id='test-cards'" in page
    for number, outcome in listed:
        assert number in page
        assert outcome in page
    said = {
        "4242 4242 4242 4242": "Payment succeeded",
        "4000 0000 0000 0002": "Your card was declined.",
        "4000 0000 0000 9995": "Your card has insufficient funds.",
        "4000 0000 0000 0069": "Your card has expired.",
    }
    for number in numbers:
        if not number.startswith("4242"):  # the list quotes the decline the buyer gets
            assert said[number] in dict(listed)[number]
        fresh = open_invoice(client)
        assert fresh.hosted_invoice_url is not None
        answer = httpx.post(
            fresh.hosted_invoice_url + "/pay", data={"method": "card", "card_number": number}
        ).text
        assert said[number] in answer
        status = client.v1.invoices.retrieve(fresh.id).status
        assert status == ("paid" if number.startswith("4242") else "open")
    debit = open_invoice(client)
    assert debit.hosted_invoice_url is not None
    answer = httpx.post(debit.hosted_invoice_url + "/pay", data={"method": "us_bank_account"})
    assert "processing" in answer.text
    assert BANK_DEBIT[0] in page
    assert client.v1.invoices.retrieve(debit.id).status == "open"  # not paid early
    # Once paid there is nothing to pay, and no test cards either.
    paid = httpx.post(inv.hosted_invoice_url + "/pay", data={"card_number": numbers[0]}).text
    assert "id='test-cards'" not in paid
