"""Tracker Desktop: invoicing for an independent watch dealer."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("tracker-desktop")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0"

APP_NAME = "Tracker Desktop"
