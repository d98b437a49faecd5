"""The Clients window: the table, the client form and the Stripe customer panel."""
