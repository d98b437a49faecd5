"""Stripe -> local: the poller, applying its events, and the supervisor that keeps one running."""
