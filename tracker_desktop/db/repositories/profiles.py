"""Profiles: one per business or Stripe account (or the Practice sandbox)."""

from __future__ import annotations

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from tracker_desktop.db.models import Invoice, Profile
from tracker_desktop.domain.currencies import UnknownCurrency, normalize_code
from tracker_desktop.domain.errors import ValidationError

PROFILE_KINDS = ("stripe", "practice")


def _clean_name(name: str) -> str:
    cleaned = name.strip()
    if not cleaned:
        raise ValidationError("A profile needs a name.", field="name")
    if len(cleaned) > 120:
        raise ValidationError("A profile name is at most 120 characters.", field="name")
    return cleaned


def _clean_currency(code: str) -> str:
    try:
        return normalize_code(code)
    except UnknownCurrency as exc:
        raise ValidationError(str(exc), field="default_currency") from exc


def create_profile(
    session: Session, name: str, *, kind: str = "stripe", default_currency: str = "USD"
) -> Profile:
    if kind not in PROFILE_KINDS:
        raise ValidationError(f"Unknown profile kind {kind!r}.", field="kind")
    profile = Profile(
        name=_clean_name(name), kind=kind, default_currency=_clean_currency(default_currency)
    )
    session.add(profile)
    session.flush()
    return profile


def list_profiles(session: Session) -> list[Profile]:
    return list(session.scalars(select(Profile).order_by(Profile.name, Profile.id)))


def get_profile(session: Session, profile_id: int) -> Profile | None:
    return session.get(Profile, profile_id)


def _require(session: Session, profile_id: int) -> Profile:
    profile = session.get(Profile, profile_id)
    if profile is None:
        raise ValidationError("That profile no longer exists.")
    return profile


def rename_profile(session: Session, profile_id: int, name: str) -> Profile:
    profile = _require(session, profile_id)
    profile.name = _clean_name(name)
    return profile


def update_profile_settings(
    session: Session,
    profile_id: int,
    *,
    default_currency: str | None = None,
    default_due_days: int | None = None,
    invoice_footer: str | None = None,
    live_confirmed: bool | None = None,
) -> Profile:
    """Change the settings given; None leaves a setting as it is."""
    profile = _require(session, profile_id)
    if default_currency is not None:
        profile.default_currency = _clean_currency(default_currency)
    if default_due_days is not None:
        if not 0 <= default_due_days <= 365:
            raise ValidationError(
                "Days until due must be between 0 and 365.", field="default_due_days"
            )
        profile.default_due_days = default_due_days
    if invoice_footer is not None:
        profile.invoice_footer = invoice_footer
    if live_confirmed is not None:
        profile.live_confirmed = live_confirmed
    return profile


def set_stripe_account(
    session: Session,
    profile_id: int,
    *,
    account_id: str | None,
    account_name: str | None,
    livemode: bool | None,
    key_last4: str | None,
) -> Profile:
    """Record the account a key belongs to (all None when the key is removed).

    The key itself lives in the OS keychain, never here.
    """
    profile = _require(session, profile_id)
    if profile.stripe_account_id != account_id:
        profile.live_confirmed = False  # another account: ask again before going live
    profile.stripe_account_id = account_id
    profile.stripe_account_name = account_name
    profile.livemode = livemode
    profile.key_last4 = key_last4
    return profile


def delete_profile(session: Session, profile_id: int) -> None:
    """Delete a profile and everything it owns.

    Invoices go first: their lines hold watches with RESTRICT, and SQLite does not promise
    to cascade invoices before watches when the profile row goes.
    """
    session.execute(delete(Invoice).where(Invoice.profile_id == profile_id))
    session.execute(delete(Profile).where(Profile.id == profile_id))
    session.expire_all()
