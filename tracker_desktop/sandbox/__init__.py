"""A stateful Stripe simulator for tests and Practice mode (see README.md here)."""

from .sandbox import Sandbox

__all__ = ["Sandbox"]
