"""A watch's provenance, with no Qt: stolen-register checks with their certificate file, and
box-and-papers documents and photos. Every file is copied into the data folder first
(AttachmentStore); a row is written only once its file is complete, and a copy whose row
could not be saved is removed again, so nothing is ever half-kept."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.orm import Session, sessionmaker

from tracker_desktop.db.engine import session_scope
from tracker_desktop.db.models import ProvenanceCheck, WatchDocument
from tracker_desktop.db.repositories import provenance as repo
from tracker_desktop.domain.errors import FormInvalid, ValidationError
from tracker_desktop.domain.validation import CERTIFICATE_NUMBER_MAX, REGISTER_MAX, text_problem
from tracker_desktop.services.events import EventHub, WatchesChanged
from tracker_desktop.services.inventory.attachment_store import AttachmentStore, KeptFile

DOCUMENT_KINDS = {"document": "Box and papers", "photo": "Photo"}
# The registers dealers check most; the field takes any name.
REGISTERS = ("The Watch Register", "Art Loss Register", "Interpol Stolen Works of Art")


@dataclass(frozen=True, slots=True)
class CheckForm:
    register: str
    checked_on: dt.date | None
    certificate_number: str = ""
    certificate_path: str = ""  # the dealer's file, copied in; "" for none


@dataclass(frozen=True, slots=True)
class CheckRow:
    id: int
    watch_id: int
    register: str
    checked_on: dt.date
    certificate_number: str
    certificate_name: str
    certificate_path: Path | None  # the kept copy


@dataclass(frozen=True, slots=True)
class DocumentRow:
    id: int
    watch_id: int
    kind: str
    original_name: str
    path: Path
    size_bytes: int

    @property
    def kind_label(self) -> str:
        return DOCUMENT_KINDS.get(self.kind, self.kind)


class ProvenanceService:
    """One profile at a time; every call names it. `today` is the dealer's date."""

    def __init__(
        self,
        session_factory: sessionmaker[Session],
        store: AttachmentStore,
        hub: EventHub | None = None,
        today: Callable[[], dt.date] = dt.date.today,
    ) -> None:
        self._sessions = session_factory
        self.store = store
        self._hub = hub
        self._today = today

    # --- stolen-register checks ----------------------------------------------------------
    def checks(self, profile_id: int, watch_id: int) -> list[CheckRow]:
        with session_scope(self._sessions) as session:
            return [self._check_row(c) for c in repo.checks_of(session, profile_id, watch_id)]

    def latest_check(self, profile_id: int, watch_id: int) -> CheckRow | None:
        with session_scope(self._sessions) as session:
            found = repo.latest_checks(session, profile_id, [watch_id]).get(watch_id)
            return None if found is None else self._check_row(found)

    def add_check(self, profile_id: int, watch_id: int, form: CheckForm) -> CheckRow:
        """FormInvalid (register, checked_on, certificate_number, file) or the kept check."""
        register = " ".join(form.register.split())
        number = form.certificate_number.strip()
        errors: dict[str, str] = {}
        if not register:
            errors["register"] = "Enter the register you checked, like The Watch Register"
        elif problem := text_problem(register, REGISTER_MAX):
            errors["register"] = problem
        if problem := text_problem(number, CERTIFICATE_NUMBER_MAX):
            errors["certificate_number"] = problem
        if form.checked_on is None:
            errors["checked_on"] = "Enter the date of the check"
        elif form.checked_on > self._today():
            errors["checked_on"] = "A check cannot be dated in the future"
        if errors:
            raise FormInvalid(errors)
        assert form.checked_on is not None
        kept = self._keep(form.certificate_path, profile_id, watch_id)
        data = repo.CheckFields(
            register=register,
            checked_on=form.checked_on,
            certificate_number=number,
            certificate_name=kept.original_name if kept else "",
            certificate_file=kept.relative if kept else None,
        )
        try:
            with session_scope(self._sessions, write=True) as session:
                row = self._check_row(repo.add_check(session, profile_id, watch_id, data))
        except BaseException:
            if kept is not None:
                self.store.remove(kept.relative)
            raise
        self._changed(profile_id)
        return row

    def remove_check(self, profile_id: int, check_id: int) -> None:
        with session_scope(self._sessions, write=True) as session:
            check = repo.get_check(session, profile_id, check_id)
            if check is None:
                return
            kept = check.certificate_file
            session.delete(check)
        if kept:
            self.store.remove(kept)
        self._changed(profile_id)

    # --- box and papers, photos ----------------------------------------------------------
    def documents(self, profile_id: int, watch_id: int) -> list[DocumentRow]:
        with session_scope(self._sessions) as session:
            return [self._document_row(d) for d in repo.documents_of(session, profile_id, watch_id)]

    def add_document(self, profile_id: int, watch_id: int, kind: str, path: str) -> DocumentRow:
        if kind not in DOCUMENT_KINDS:
            raise ValidationError(f"Unknown kind of document: {kind}", "kind")
        kept = self._keep(path, profile_id, watch_id)
        if kept is None:
            raise ValidationError("Choose a file to add", "file")
        try:
            with session_scope(self._sessions, write=True) as session:
                document = repo.add_document(
                    session,
                    profile_id,
                    watch_id,
                    kind=kind,
                    original_name=kept.original_name[:255],
                    stored_file=kept.relative,
                    size_bytes=kept.size_bytes,
                )
                row = self._document_row(document)
        except BaseException:
            self.store.remove(kept.relative)
            raise
        self._changed(profile_id)
        return row

    def remove_document(self, profile_id: int, document_id: int) -> None:
        with session_scope(self._sessions, write=True) as session:
            document = repo.get_document(session, profile_id, document_id)
            if document is None:
                return
            kept = document.stored_file
            session.delete(document)
        self.store.remove(kept)
        self._changed(profile_id)

    def forget_files(self, relatives: list[str]) -> None:
        """Remove the kept files of a deleted watch (its rows went with it)."""
        for relative in relatives:
            self.store.remove(relative)

    # --- helpers -------------------------------------------------------------------------
    def _keep(self, path: str, profile_id: int, watch_id: int) -> KeptFile | None:
        if not path.strip():
            return None
        with session_scope(self._sessions) as session:
            repo.require_watch(session, profile_id, watch_id)
        return self.store.keep(path, profile_id, watch_id)

    def _check_row(self, check: ProvenanceCheck) -> CheckRow:
        kept = check.certificate_file
        return CheckRow(
            id=check.id,
            watch_id=check.watch_id,
            register=check.register,
            checked_on=check.checked_on,
            certificate_number=check.certificate_number,
            certificate_name=check.certificate_name,
            certificate_path=self.store.path_of(kept) if kept else None,
        )

    def _document_row(self, document: WatchDocument) -> DocumentRow:
        return DocumentRow(
            id=document.id,
            watch_id=document.watch_id,
            kind=document.kind,
            original_name=document.original_name,
            path=self.store.path_of(document.stored_file),
            size_bytes=document.size_bytes,
        )

    def _changed(self, profile_id: int) -> None:
        if self._hub is not None:
            self._hub.publish(WatchesChanged(profile_id))
