"""Stripe's credit-note PDFs kept on this computer, beside the invoice PDFs (pdf_cache), so a
credit note reads offline: ``<pdfs>/<profile id>/<number>-credit-note.pdf``, 0600, written
to a temporary file and renamed. Downloaded in the background after a credit note is
issued and after every successful poll; a failure is logged and left for the next one.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from tracker_desktop.db.credit_models import CreditNote
from tracker_desktop.db.engine import session_scope
from tracker_desktop.db.repositories import credit_notes as repo
from tracker_desktop.domain.errors import TrackerError
from tracker_desktop.services.events import EventHub, InvoicesChanged, PollFinished
from tracker_desktop.services.invoicing.pdf_cache import (
    ROUND_LIMIT,
    _write_private,
    pdf_file_name,
)
from tracker_desktop.stripe_gateway import StripeGateway

log = logging.getLogger(__name__)


class CreditNotePdfs:
    def __init__(
        self,
        session_factory: sessionmaker[Session],
        pdf_dir: Path,
        gateway_for: Callable[[int], StripeGateway],
        hub: EventHub | None = None,
    ) -> None:
        self._sessions = session_factory
        self.pdf_dir = Path(pdf_dir)
        self._gateway_for = gateway_for
        self._hub = hub
        self._tasks: set[asyncio.Task[Any]] = set()
        self._unsubscribe: Callable[[], None] | None = None

    async def ensure(self, profile_id: int, note_id: int) -> bool:
        """True when the credit note's PDF is on disk (downloaded now if need be); never
        raises for Stripe, network or disk trouble."""
        with self._sessions() as session:
            note = repo.get_credit_note(session, profile_id, note_id)
            if note is None or not note.pdf_url or not note.number:
                return False
            if note.pdf_path and Path(note.pdf_path).is_file():
                return True
            url, invoice_id = note.pdf_url, note.invoice_id
            target = (
                self.pdf_dir
                / str(profile_id)
                / pdf_file_name(note.number, note.uuid, "credit-note")
            )
        if not target.is_file():
            try:
                content = await self._gateway_for(profile_id).download_invoice_pdf(url)
                _write_private(target, content)
            except (TrackerError, OSError) as exc:
                kind = type(exc).__name__
                log.warning("credit note %s: PDF not kept (%s): %s", note_id, kind, exc)
                return False
        with session_scope(self._sessions, write=True) as session:
            row = session.get(CreditNote, note_id)
            if row is not None:
                row.pdf_path = str(target)
        if self._hub is not None:
            self._hub.publish(InvoicesChanged(profile_id, frozenset({invoice_id})))
        return True

    async def catch_up(self, profile_id: int) -> int:
        with self._sessions() as session:
            ids = repo.without_pdf(session, profile_id, ROUND_LIMIT)
        kept = 0
        for note_id in ids:
            kept += await self.ensure(profile_id, note_id)
        return kept

    def schedule(self, profile_id: int, note_id: int | None = None) -> None:
        work = self.catch_up(profile_id) if note_id is None else self.ensure(profile_id, note_id)
        task = asyncio.ensure_future(work)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    def follow_syncs(self) -> None:
        """After every successful poll, keep the PDFs of credit notes it brought."""
        if self._hub is not None and self._unsubscribe is None:
            self._unsubscribe = self._hub.subscribe(
                PollFinished, lambda finished: self.schedule(finished.profile_id)
            )

    async def drain(self) -> None:
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
