"""Clients and their Stripe customers: the list and form checks, the customer sync, the import."""
