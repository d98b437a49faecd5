"""A watch's provenance rows: stolen-register checks and its documents and photos. The files
themselves are kept by services/inventory/attachment_store; these rows name them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from tracker_desktop.db.models import ProvenanceCheck, Watch, WatchDocument
from tracker_desktop.domain.errors import ValidationError


@dataclass(frozen=True, slots=True)
class CheckFields:
    register: str
    checked_on: dt.date
    certificate_number: str = ""
    certificate_name: str = ""
    certificate_file: str | None = None


def require_watch(session: Session, profile_id: int, watch_id: int) -> Watch:
    watch = session.scalar(
        select(Watch).where(Watch.profile_id == profile_id, Watch.id == watch_id)
    )
    if watch is None:
        raise ValidationError("That watch no longer exists.")
    return watch


def add_check(
    session: Session, profile_id: int, watch_id: int, data: CheckFields
) -> ProvenanceCheck:
    require_watch(session, profile_id, watch_id)
    check = ProvenanceCheck(
        profile_id=profile_id,
        watch_id=watch_id,
        register=data.register,
        checked_on=data.checked_on,
        certificate_number=data.certificate_number,
        certificate_name=data.certificate_name,
        certificate_file=data.certificate_file,
    )
    session.add(check)
    session.flush()
    return check


def checks_of(session: Session, profile_id: int, watch_id: int) -> list[ProvenanceCheck]:
    """Newest check first."""
    return list(
        session.scalars(
            select(ProvenanceCheck)
            .where(ProvenanceCheck.profile_id == profile_id, ProvenanceCheck.watch_id == watch_id)
            .order_by(ProvenanceCheck.checked_on.desc(), ProvenanceCheck.id.desc())
        )
    )


def latest_checks(
    session: Session, profile_id: int, watch_ids: Iterable[int]
) -> dict[int, ProvenanceCheck]:
    """The newest check of each watch that has one."""
    ids = list(set(watch_ids))
    if not ids:
        return {}
    found: dict[int, ProvenanceCheck] = {}
    rows = session.scalars(
        select(ProvenanceCheck)
        .where(ProvenanceCheck.profile_id == profile_id, ProvenanceCheck.watch_id.in_(ids))
        .order_by(ProvenanceCheck.checked_on, ProvenanceCheck.id)
    )
    for check in rows:
        found[check.watch_id] = check  # newest wins
    return found


def get_check(session: Session, profile_id: int, check_id: int) -> ProvenanceCheck | None:
    return session.scalar(
        select(ProvenanceCheck).where(
            ProvenanceCheck.profile_id == profile_id, ProvenanceCheck.id == check_id
        )
    )


def add_document(
    session: Session,
    profile_id: int,
    watch_id: int,
    *,
    kind: str,
    original_name: str,
    stored_file: str,
    size_bytes: int,
) -> WatchDocument:
    require_watch(session, profile_id, watch_id)
    document = WatchDocument(
        profile_id=profile_id,
        watch_id=watch_id,
        kind=kind,
        original_name=original_name,
        stored_file=stored_file,
        size_bytes=size_bytes,
    )
    session.add(document)
    session.flush()
    return document


def documents_of(session: Session, profile_id: int, watch_id: int) -> list[WatchDocument]:
    return list(
        session.scalars(
            select(WatchDocument)
            .where(WatchDocument.profile_id == profile_id, WatchDocument.watch_id == watch_id)
            .order_by(WatchDocument.kind, WatchDocument.added_at, WatchDocument.id)
        )
    )


def get_document(session: Session, profile_id: int, document_id: int) -> WatchDocument | None:
    return session.scalar(
        select(WatchDocument).where(
            WatchDocument.profile_id == profile_id, WatchDocument.id == document_id
        )
    )


def files_of_watch(session: Session, profile_id: int, watch_id: int) -> list[str]:
    """Every kept file of a watch (to remove them once the watch is deleted)."""
    certificates = [
        c.certificate_file for c in checks_of(session, profile_id, watch_id) if c.certificate_file
    ]
    return certificates + [d.stored_file for d in documents_of(session, profile_id, watch_id)]
