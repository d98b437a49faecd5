"""Each profile's yearly sales goal (the Dashboard's): minor units and currency, both empty
until the dealer sets one (services/dashboard works out the default)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from tracker_desktop.db.models import Profile


def sales_goal(session: Session, profile_id: int) -> tuple[int | None, str | None, str]:
    """(goal minor units, its currency, the profile's default currency); ValueError if gone."""
    row = session.execute(
        select(
            Profile.sales_goal_minor, Profile.sales_goal_currency, Profile.default_currency
        ).where(Profile.id == profile_id)
    ).first()
    if row is None:
        raise ValueError(f"no profile {profile_id}")
    return row[0], row[1], row[2]


def set_sales_goal(session: Session, profile_id: int, minor: int, currency: str) -> None:
    profile = session.get(Profile, profile_id)
    if profile is None:
        raise ValueError(f"no profile {profile_id}")
    profile.sales_goal_minor = minor
    profile.sales_goal_currency = currency
