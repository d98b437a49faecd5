"""Every finalized invoice's PDF is kept on this computer, once per status, and a PDF that
cannot be had never fails the push, action or sync that asked for it."""

from __future__ import annotations

import datetime as dt
import logging
import stat
from pathlib import Path

import pytest

from tracker_desktop.domain.invoice_state import InvoiceState
from tracker_desktop.sandbox import Sandbox
from tracker_desktop.services.invoicing.invoice_service import InvoiceDetail, InvoiceService
from tracker_desktop.services.invoicing.pdf_cache import PdfCache
from tracker_desktop.services.sync.poller import Poller, PollIntervals

from .conftest import Shop, draft


def push_one(shop: Shop) -> InvoiceDetail:
    watch = shop.add_watch("5711X42", 12_885_000)
    pushed = shop.run(lambda svc, _p: _save_and_push(shop, svc, watch))
    return shop.run(lambda svc, _p: _get(shop, svc, pushed.id))


async def _save_and_push(shop: Shop, svc: InvoiceService, watch: int) -> InvoiceDetail:
    local = svc.save_draft(shop.profile_id, draft(("Patek Philippe Nautilus", 12_885_000, watch)))
    return await svc.push(shop.profile_id, local)


async def _get(shop: Shop, svc: InvoiceService, invoice_id: int) -> InvoiceDetail:
    return svc.get(shop.profile_id, invoice_id)


def test_pdf_is_kept_after_push(shop: Shop) -> None:
    gets, api = shop.pdf_gets(), shop.api_requests()
    detail = push_one(shop)

    assert detail.state is InvoiceState.OPEN
    assert detail.number
    assert detail.pdf_path == str(shop.pdf_dir / str(shop.profile_id) / f"{detail.number}-open.pdf")
    assert detail.pdf_on_disk
    kept = Path(detail.pdf_path)
    assert kept.read_bytes().startswith(b"%PDF")
    assert stat.S_IMODE(kept.stat().st_mode) == 0o600
    assert [p.name for p in kept.parent.iterdir()] == [kept.name]  # no temp file left
    assert shop.pdf_gets() - gets == 1
    # The push's own Stripe requests stay four (customer, invoice, lines, finalize): the PDF
    # is a GET of its link, made after the push returned.
    assert shop.api_requests() - api == 4


def test_paid_invoice_gets_its_paid_pdf_on_the_next_sync_and_keeps_the_open_one(
    shop: Shop,
) -> None:
    detail = push_one(shop)
    assert detail.stripe_invoice_id
    assert detail.pdf_path
    open_pdf = Path(detail.pdf_path)
    shop.sb.pay_as_buyer(detail.stripe_invoice_id)

    async def sync(svc: InvoiceService, pdfs: PdfCache) -> InvoiceDetail:
        pdfs.follow_syncs()  # as the app wires it: a successful poll is followed by catch_up
        poller = Poller(
            shop.sessions, shop.gateway_now, shop.profile_id, shop.hub,
            intervals=PollIntervals(), clock=shop.now,
        )  # fmt: skip
        await poller.poll_now()
        await pdfs.drain()
        return svc.get(shop.profile_id, detail.id)

    paid = shop.run(sync)
    assert paid.state is InvoiceState.PAID
    assert paid.pdf_path == str(open_pdf.with_name(f"{detail.number}-paid.pdf"))
    assert paid.pdf_on_disk
    paid_bytes = Path(paid.pdf_path).read_bytes()
    assert paid_bytes.startswith(b"%PDF")
    assert open_pdf.is_file()  # what the buyer was sent stays
    assert open_pdf.read_bytes() != paid_bytes


def test_void_action_fetches_the_void_pdf(shop: Shop) -> None:
    detail = push_one(shop)

    voided = shop.run(lambda svc, _p: svc.void(shop.profile_id, detail.id))
    got = shop.run(lambda svc, _p: _get(shop, svc, voided.id))
    assert got.state is InvoiceState.VOID
    assert got.pdf_path is not None
    assert got.pdf_path.endswith(f"{detail.number}-void.pdf")
    assert got.pdf_on_disk


def test_nothing_missing_costs_no_request(shop: Shop) -> None:
    push_one(shop)
    before = shop.sb.request_count()

    async def again(_svc: InvoiceService, pdfs: PdfCache) -> int:
        return await pdfs.catch_up(shop.profile_id)

    assert shop.run(again) == 0
    assert shop.sb.request_count() == before


def test_push_succeeds_when_the_pdf_cannot_be_saved_and_the_next_sync_keeps_it(
    shop: Shop, caplog: pytest.LogCaptureFixture
) -> None:
    # Where the profile's folder should be, a file: the disk refuses the PDF.
    shop.pdf_dir.mkdir(parents=True)
    blocker = shop.pdf_dir / str(shop.profile_id)
    blocker.write_text("not a folder")

    with caplog.at_level(logging.WARNING, logger="tracker_desktop.services.invoicing.pdf_cache"):
        detail = push_one(shop)
    assert detail.state is InvoiceState.OPEN
    assert detail.number
    assert detail.pdf_path is None
    assert not detail.pdf_on_disk
    assert any("PDF not saved" in r.getMessage() for r in caplog.records)

    blocker.unlink()

    async def next_sync(svc: InvoiceService, pdfs: PdfCache) -> InvoiceDetail:
        assert pdfs.missing(shop.profile_id) == [detail.id]
        assert await pdfs.catch_up(shop.profile_id) == 1
        return svc.get(shop.profile_id, detail.id)

    kept = shop.run(next_sync)
    assert kept.pdf_on_disk
    assert kept.pdf_path is not None
    assert kept.pdf_path.endswith(f"{detail.number}-open.pdf")


def test_push_succeeds_when_the_pdf_download_is_offline(
    shop: Shop, caplog: pytest.LogCaptureFixture
) -> None:
    # A second simulator that goes away the moment the push returns, before the background
    # download starts: the PDF GET meets a closed port, as when the network drops.
    # (The simulator's fault injection covers /v1/ only, not the /pdf/ links.)
    lonely = Sandbox(port=0).start()
    watch = shop.add_watch("126610LN-77", 1_425_000)

    async def push_then_drop(svc: InvoiceService, pdfs: PdfCache) -> InvoiceDetail:
        local = svc.save_draft(shop.profile_id, draft(("Rolex Submariner", 1_425_000, watch)))
        pushed = await svc.push(shop.profile_id, local)
        lonely.stop()  # no await since the push returned: the download has not started
        await pdfs.drain()
        return svc.get(shop.profile_id, pushed.id)

    with caplog.at_level(logging.WARNING, logger="tracker_desktop.services.invoicing.pdf_cache"):
        detail = shop.run(push_then_drop, sb=lonely)
    assert detail.state is InvoiceState.OPEN
    assert detail.hosted_invoice_url
    assert detail.pdf_path is None
    assert any("Offline" in r.getMessage() for r in caplog.records)

    async def still_missing(_svc: InvoiceService, pdfs: PdfCache) -> tuple[list[int], int]:
        return pdfs.missing(shop.profile_id), await pdfs.catch_up(shop.profile_id)

    # Still wanted on the next sync; still offline, so nothing is kept and nothing raises.
    assert shop.run(still_missing, sb=lonely) == ([detail.id], 0)


def test_a_dead_link_is_not_asked_again(shop: Shop) -> None:
    detail = push_one(shop)
    # 45 days past due: Stripe's PDF link answers 410 Gone.
    shop.sb.advance_clock(int(dt.timedelta(days=60).total_seconds()))
    shop.sync_clock()

    async def void_late(svc: InvoiceService, pdfs: PdfCache) -> tuple[InvoiceDetail, int, int]:
        voided = await svc.void(shop.profile_id, detail.id)  # the action itself succeeds
        await pdfs.drain()
        gets = shop.pdf_gets()
        assert not await pdfs.ensure(shop.profile_id, detail.id)  # given up: not asked
        return voided, gets, shop.pdf_gets()

    voided, before, after = shop.run(void_late)
    assert voided.state is InvoiceState.VOID
    assert before == after
    got = shop.run(lambda svc, _p: _get(shop, svc, detail.id))
    assert got.pdf_path is not None
    assert got.pdf_path.endswith("-open.pdf")  # the one kept while the link worked
    assert got.pdf_on_disk
