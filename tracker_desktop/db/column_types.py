"""How Python values are kept in the columns: aware datetimes as naive UTC, and the domain's
enums as their values ("local_draft", "in_stock") in a plain VARCHAR, the words those
columns held as strings before the enums, so no migration was needed."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Any

from sqlalchemy import DateTime, Enum, TypeDecorator
from sqlalchemy.engine import Dialect

from tracker_desktop.domain.invoice_state import InvoiceState
from tracker_desktop.domain.watch_status import WatchStatus


class UTCDateTime(TypeDecorator[dt.datetime]):
    """Stores naive UTC, hands back aware UTC: SQLite keeps no zone, and local time lies."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Dialect) -> Any:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetimes are refused; pass an aware UTC datetime")
        return value.astimezone(dt.UTC).replace(tzinfo=None)

    def process_result_value(self, value: Any, dialect: Dialect) -> dt.datetime | None:
        if value is None:
            return None
        assert isinstance(value, dt.datetime)
        return value.replace(tzinfo=dt.UTC)


def stored_as_values(enum: type[StrEnum], length: int) -> Enum:
    """The enum's values in a VARCHAR(length); a word that is none of them is refused when
    written or read."""
    return Enum(
        enum,
        native_enum=False,
        create_constraint=False,
        length=length,
        validate_strings=True,
        values_callable=lambda members: [member.value for member in members],
    )


INVOICE_STATE = stored_as_values(InvoiceState, 20)
WATCH_STATUS = stored_as_values(WatchStatus, 16)
