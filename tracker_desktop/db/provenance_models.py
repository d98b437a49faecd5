"""A watch's provenance: stolen-register checks and its documents and photos. The files are
copies in the data folder's attachments (services/inventory/attachment_store); these rows
name them relative to it, so the data folder can move."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import BigInteger, Date, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from tracker_desktop.db.models import Base, utcnow


class ProvenanceCheck(Base):
    """A stolen-register check of a watch, with its certificate file kept in the data folder
    (`certificate_file` is relative to the attachments folder; the dealer's file was copied)."""

    __tablename__ = "provenance_checks"
    __table_args__ = (Index("ix_provenance_checks_watch", "watch_id", "checked_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    profile_id: Mapped[int] = mapped_column(ForeignKey("profiles.id", ondelete="CASCADE"))
    watch_id: Mapped[int] = mapped_column(ForeignKey("watches.id", ondelete="CASCADE"))
    register: Mapped[str] = mapped_column(String(120))
    checked_on: Mapped[dt.date] = mapped_column(Date)
    certificate_number: Mapped[str] = mapped_column(String(80), default="")
    certificate_name: Mapped[str] = mapped_column(String(255), default="")
    certificate_file: Mapped[str | None] = mapped_column(String(400))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class WatchDocument(Base):
    """A box-and-papers document or a photo of a watch, copied into the data folder."""

    __tablename__ = "watch_documents"
    __table_args__ = (Index("ix_watch_documents_watch", "watch_id", "kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    profile_id: Mapped[int] = mapped_column(ForeignKey("profiles.id", ondelete="CASCADE"))
    watch_id: Mapped[int] = mapped_column(ForeignKey("watches.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(16))  # document | photo
    original_name: Mapped[str] = mapped_column(String(255))
    stored_file: Mapped[str] = mapped_column(String(400))
    size_bytes: Mapped[int] = mapped_column(BigInteger, default=0)
    added_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
