"""The log file's rotating handler: 2 MB, five old files kept, each private (0600).

Its own module because logging.handlers is loaded only after the first paint
(config.log_setup.start_rotating)."""

from __future__ import annotations

import logging.handlers

from tracker_desktop.config.log_setup import PrivateFileHandler


class PrivateRotatingFileHandler(PrivateFileHandler, logging.handlers.RotatingFileHandler):
    """The app's log file once the window is up: rotated, and private like the first."""
