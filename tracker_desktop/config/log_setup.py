"""A rotating log file in the log folder, with every Stripe secret masked before it is written."""

from __future__ import annotations

import logging
import logging.handlers
import re
from pathlib import Path

# sk_/rk_ secret and restricted keys, whsec_ webhook secrets (pk_ keys are public, masked anyway).
SECRET_PATTERN = re.compile(r"\b((?:sk|rk|pk)_(?:test|live)_|whsec_)[A-Za-z0-9]{4,}")

LOG_FILE_NAME = "tracker.log"


def mask_secrets(text: str) -> str:
    return SECRET_PATTERN.sub(lambda m: f"{m.group(1)}****", text)


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
