"""Tracker Desktop: invoicing for an independent watch dealer."""

from __future__ import annotations

from functools import cache

APP_NAME = "Tracker Desktop"


@cache
def app_version() -> str:
    """The installed version. Read on first use: importlib.metadata costs ~40 ms at start-up,
    before the window's first paint."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("tracker-desktop")
    except PackageNotFoundError:  # a source tree that was never installed
        return "0.0.0"


def __getattr__(name: str) -> str:
    if name == "__version__":
        return app_version()
    raise AttributeError(name)
