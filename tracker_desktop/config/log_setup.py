"""A rotating log file in the log folder, with every Stripe secret masked before it is written."""

from __future__ import annotations

import logging
import logging.handlers
from pathlib import Path

from tracker_desktop.domain.secret_text import mask_secrets

LOG_FILE_NAME = "tracker.log"


class SecretMaskFilter(logging.Filter):
    """Rewrites each record's message (args and traceback included) with secrets masked."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        record.msg = mask_secrets(message)
        record.args = None
        if record.exc_text:
            record.exc_text = mask_secrets(record.exc_text)
        # The traceback text is cached above and masked; drop the live objects.
        record.exc_info = None
        if record.stack_info:
            record.stack_info = mask_secrets(record.stack_info)
        return True


def configure_logging(log_dir: Path, level: int = logging.INFO) -> Path:
    """Idempotent: calling it twice keeps one file handler."""
    log_dir.mkdir(parents=True, exist_ok=True)
    path = log_dir / LOG_FILE_NAME
    root = logging.getLogger()
    root.setLevel(level)
    for handler in list(root.handlers):
        if getattr(handler, "_tracker", False):
            root.removeHandler(handler)
            handler.close()
    handler = logging.handlers.RotatingFileHandler(
        path, maxBytes=2_000_000, backupCount=5, encoding="utf-8"
    )
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(SecretMaskFilter())
    handler._tracker = True  # type: ignore[attr-defined]
    root.addHandler(handler)
    logging.captureWarnings(True)
    # The SDK logs whole response bodies (buyers' names, emails) at DEBUG: never keep those.
    logging.getLogger("stripe").setLevel(max(level, logging.INFO))
    return path
