"""Revision scripts. A package so an installed wheel carries them; Alembic loads them by path."""
