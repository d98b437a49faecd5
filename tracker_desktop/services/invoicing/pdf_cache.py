"""Every finalized invoice's PDF kept on this computer, so the history reads offline.

Stripe's PDF link stops working 30 days after the due date, and the PDF changes with the
status (an open invoice's PDF says "due", a paid one's says "paid"), so one file is kept per
(invoice, status): ``<pdfs>/<profile id>/<number>-<status>.pdf``. Older files stay (the open
one is what the buyer was sent); ``Invoice.pdf_path`` names the newest.

Nothing waits on a download: the push and the dealer's actions `schedule` one after they
return, and `follow_syncs` runs `catch_up` after every successful poll, which finds every
invoice whose file does not match its status (in SQL, from the file name). A failure is
logged and left for the next sync; it never fails the push, action or poll that asked.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging
import os
import re
import tempfile
from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import Any

from sqlalchemy import String, and_, cast, or_, select
from sqlalchemy.orm import Session, sessionmaker

from tracker_desktop.db.engine import session_scope
from tracker_desktop.db.models import Invoice, utcnow
from tracker_desktop.domain.errors import (
    InvalidRequest,
    NotFound,
    Offline,
    RateLimited,
    StripeUnavailable,
    TrackerError,
)
from tracker_desktop.domain.invoice_state import FINALIZED
from tracker_desktop.services.events import EventHub, PdfStored, PollFinished
from tracker_desktop.stripe_gateway import StripeGateway

log = logging.getLogger(__name__)

# States in which Stripe has a PDF (finalized). Drafts and failed pushes have none.
FINALIZED_STATES = tuple(sorted(FINALIZED))
# Stripe's link lifetime (STRIPE_NOTES): catch_up does not ask for a link known to be dead.
LINK_DAYS_AFTER_DUE = 30
LINK_MAX_DAYS = 120
ROUND_LIMIT = 20  # downloads per catch_up, so a first sync of a long history stays gentle
_TRANSIENT = (Offline, RateLimited, StripeUnavailable)
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def pdf_file_name(number: str | None, uuid: str, state: str) -> str:
    """``<number or uuid>-<state>.pdf``, safe on every file system."""
    stem = _UNSAFE.sub("_", number or uuid).strip("._") or uuid
    return f"{stem}-{state}.pdf"


class PdfCache:
    """Downloads and records invoice PDFs for one database.

    `gateway_for(profile_id)` gives that profile's gateway; `hub` (optional) hears PdfStored
    when a new file is recorded, so an open window enables "Open PDF".
    """

    def __init__(
        self,
        session_factory: sessionmaker[Session],
        pdf_dir: Path,
        gateway_for: Callable[[int], StripeGateway],
        hub: EventHub | None = None,
        *,
        clock: Callable[[], dt.datetime] | None = None,
    ) -> None:
        self._sessions = session_factory
        self.pdf_dir = Path(pdf_dir)
        self._gateway_for = gateway_for
        self._hub = hub
        self._clock = clock or utcnow
        self._tasks: set[asyncio.Task[Any]] = set()
        self._inflight: set[tuple[int, str]] = set()
        # Links Stripe says are gone: not asked again until the app restarts.
        self._given_up: set[tuple[int, str]] = set()
        self._last_transient = False
        self._unsubscribe: Callable[[], None] | None = None

    # -- one invoice ------------------------------------------------------------------------

    async def ensure(self, profile_id: int, invoice_id: int) -> bool:
        """True when the PDF for the invoice's current status is on disk (downloaded now if
        need be). False when it has no PDF yet or the download failed (logged, retried by the
        next catch_up). Never raises for Stripe, network, keychain or disk trouble."""
        self._last_transient = False
        with self._sessions() as session:
            invoice = session.get(Invoice, invoice_id)
            if invoice is None or invoice.profile_id != profile_id:
                return False
            state, url = invoice.state, invoice.invoice_pdf_url
            if state not in FINALIZED_STATES or not url:
                return False
            target = self._folder(profile_id) / pdf_file_name(invoice.number, invoice.uuid, state)
            recorded = invoice.pdf_path
        key = (invoice_id, state)
        if target.is_file():
            if recorded != str(target):
                self._record(profile_id, invoice_id, state, target)
            return True
        if key in self._inflight or key in self._given_up:
            return False
        self._inflight.add(key)
        try:
            content = await self._download(profile_id, invoice_id, url, key)
            if content is None:
                return False
            try:
                _write_private(target, content)
            except OSError as exc:
                log.warning("invoice %s: PDF not saved in %s: %s", invoice_id, target.parent, exc)
                return False
        finally:
            self._inflight.discard(key)
        self._record(profile_id, invoice_id, state, target)
        log.info("invoice %s: PDF kept as %s (%d bytes)", invoice_id, target.name, len(content))
        return True

    async def _download(
        self, profile_id: int, invoice_id: int, url: str, key: tuple[int, str]
    ) -> bytes | None:
        try:
            return await self._gateway_for(profile_id).download_invoice_pdf(url)
        except TrackerError as exc:  # GatewayError family, or no key in the keychain
            self._last_transient = isinstance(exc, _TRANSIENT)
            if isinstance(exc, NotFound | InvalidRequest):
                self._given_up.add(key)
            log.warning(
                "invoice %s: PDF not downloaded (%s): %s", invoice_id, type(exc).__name__, exc
            )
            return None

    def _record(self, profile_id: int, invoice_id: int, state: str, target: Path) -> None:
        with session_scope(self._sessions, write=True) as session:
            invoice = session.get(Invoice, invoice_id)
            if invoice is None:
                return
            # The status may have moved on during the download: an older status's file is
            # recorded only when nothing better is.
            better = invoice.pdf_path is not None and Path(invoice.pdf_path).is_file()
            if invoice.state == state or not better:
                invoice.pdf_path = str(target)
        if self._hub is not None:
            self._hub.publish(PdfStored(profile_id, invoice_id))

    # -- every invoice of a profile ---------------------------------------------------------

    def missing(self, profile_id: int, limit: int = ROUND_LIMIT) -> list[int]:
        """Newest first: finalized invoices whose recorded file is not their status's one,
        and whose Stripe link should still work."""
        now = self._clock()
        stale = or_(
            Invoice.pdf_path.is_(None),
            # As text: the state column takes states only, and "-" is none.
            ~Invoice.pdf_path.endswith("-" + cast(Invoice.state, String) + ".pdf"),
        )
        alive = and_(
            or_(
                Invoice.due_at.is_(None),
                Invoice.due_at > now - dt.timedelta(days=LINK_DAYS_AFTER_DUE),
            ),
            or_(
                Invoice.finalized_at.is_(None),
                Invoice.finalized_at > now - dt.timedelta(days=LINK_MAX_DAYS),
            ),
        )
        stmt = (
            select(Invoice.id, Invoice.state)
            .where(
                Invoice.profile_id == profile_id,
                Invoice.state.in_(FINALIZED_STATES),
                Invoice.invoice_pdf_url.is_not(None),
                stale,
                alive,
            )
            .order_by(Invoice.created_at.desc(), Invoice.id.desc())
            .limit(limit + len(self._given_up))
        )
        with self._sessions() as session:
            rows = session.execute(stmt).all()
        return [r.id for r in rows if (r.id, r.state) not in self._given_up][:limit]

    async def catch_up(self, profile_id: int, limit: int = ROUND_LIMIT) -> int:
        """Fetch what `missing` finds; stops at the first network trouble. Returns how many
        PDFs are now on disk."""
        stored = 0
        for invoice_id in self.missing(profile_id, limit):
            if await self.ensure(profile_id, invoice_id):
                stored += 1
            elif self._last_transient:
                break  # offline or Stripe busy: the next sync tries again
        return stored

    # -- running in the background ----------------------------------------------------------

    def schedule(self, profile_id: int, invoice_id: int | None = None) -> asyncio.Task[Any]:
        """`ensure` one invoice (or `catch_up` the profile) on the running loop, without
        waiting; the task is kept until it ends."""
        work: Coroutine[Any, Any, Any] = (
            self.catch_up(profile_id) if invoice_id is None else self.ensure(profile_id, invoice_id)
        )
        task = asyncio.ensure_future(work)
        self._tasks.add(task)
        task.add_done_callback(self._finished)
        return task

    def _finished(self, task: asyncio.Task[Any]) -> None:
        self._tasks.discard(task)
        if not task.cancelled() and task.exception() is not None:
            log.error("PDF download task failed", exc_info=task.exception())

    def follow_syncs(self) -> None:
        """After every successful poll (PollFinished), catch up that profile."""
        if self._hub is None or self._unsubscribe is not None:
            return
        self._unsubscribe = self._hub.subscribe(
            PollFinished, lambda finished: self.schedule(finished.profile_id)
        )

    async def drain(self) -> None:
        """Wait until every scheduled download has ended (tests, shutdown)."""
        while self._tasks:
            await asyncio.gather(*list(self._tasks), return_exceptions=True)

    async def close(self) -> None:
        if self._unsubscribe is not None:
            self._unsubscribe()
            self._unsubscribe = None
        for task in list(self._tasks):
            task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await asyncio.gather(*list(self._tasks), return_exceptions=True)

    def _folder(self, profile_id: int) -> Path:
        return self.pdf_dir / str(profile_id)


def _write_private(target: Path, content: bytes) -> None:
    """Write atomically (temp file + os.replace) with mode 0600: a half-written PDF never
    replaces a good one, and other users of the machine cannot read invoices."""
    target.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    fd, temp = tempfile.mkstemp(dir=target.parent, prefix=".", suffix=".part")
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(content)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(temp, 0o600)
        os.replace(temp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise
