"""One page of a long list, with the total so the UI can say "51-100 of 340"."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Generic, TypeVar

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

T = TypeVar("T")

MAX_PAGE = 500
_ESCAPE = "\\"


@dataclass(frozen=True, slots=True)
class Page(Generic[T]):
    items: list[T]
    total: int
    offset: int
    limit: int

    @property
    def has_more(self) -> bool:
        return self.offset + len(self.items) < self.total


def fetch_page(session: Session, stmt: Select[T], offset: int, limit: int) -> Page[T]:
    """Run `stmt` (already ordered) for one page and count all its rows."""
    offset = max(offset, 0)
    limit = min(max(limit, 1), MAX_PAGE)
    total = session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery()))
    items = list(session.scalars(stmt.offset(offset).limit(limit)))
    return Page(items, int(total or 0), offset, limit)


def contains_pattern(text: str) -> str:
    """A LIKE pattern matching `text` anywhere, with % and _ taken literally."""
    escaped = (
        text.replace(_ESCAPE, _ESCAPE * 2).replace("%", _ESCAPE + "%").replace("_", _ESCAPE + "_")
    )
    return f"%{escaped}%"


ESCAPE = _ESCAPE
