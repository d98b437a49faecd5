"""The locale the dealer types and reads money in (the composition root hands it to the services
and the windows)."""

from __future__ import annotations

from babel import Locale, UnknownLocaleError
from PySide6.QtCore import QLocale


def dealer_locale(preferred: str = "") -> str:
    """The locale money is typed and shown in: the setting, else the system's, else en_US."""
    for candidate in (preferred, QLocale.system().name(), "en_US"):
        if not candidate:
            continue
        try:
            Locale.parse(candidate)
        except (ValueError, UnknownLocaleError):
            continue
        return candidate
    return "en_US"
