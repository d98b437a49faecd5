"""Profiles, their Stripe access, and Practice mode."""
