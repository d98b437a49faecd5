"""Composition root: the only place that wires every layer together."""

from tracker_desktop.app.cli import main

__all__ = ["main"]
