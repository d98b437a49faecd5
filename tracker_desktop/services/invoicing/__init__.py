"""Invoices: drafts, the push to Stripe, the dealer's actions, state moves, the history and
its files."""
