"""The only package that imports stripe: one StripeGateway per profile key."""

from tracker_desktop.stripe_gateway.gateway import StripeGateway
from tracker_desktop.stripe_gateway.keys import KeyKind, idempotency_key, key_kind, scrub

__all__ = ["KeyKind", "StripeGateway", "idempotency_key", "key_kind", "scrub"]
