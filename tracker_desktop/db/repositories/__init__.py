"""Profile-scoped data access. Every function takes a Session and a profile id.

Functions never commit: the caller owns the transaction (see engine.session_scope), so a
use case that touches several tables commits all of it or none. They return ORM objects;
sessions are made with expire_on_commit=False, so those stay readable after the commit.
Refusals a dealer can act on raise tracker_desktop.domain.errors.ValidationError.
"""
