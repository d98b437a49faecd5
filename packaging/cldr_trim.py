"""babel's CLDR data for the bundle: every locale kept, the parts the app never reads dropped.

The dealer's system locale decides how money is typed and shown, so no locale may go
(a missing one would silently fall back to en_US). What goes is what the app never asks
babel for: unit and time-zone names, names of languages, scripts and variants, relative
dates, intervals, date skeletons and compact numbers (about 20 of 28 MB). Territory names stay (the country field lists them), as do number, currency and
date formats. tests/packaging/test_cldr_trim.py checks the app's formatting is unchanged by it.
"""

from __future__ import annotations

import pickle
from pathlib import Path

UNUSED_KEYS = frozenset({
    "unit_patterns", "unit_display_names", "compound_unit_patterns", "meta_zones", "time_zones",
    "zone_formats", "languages", "scripts", "variants", "date_fields", "interval_formats",
    "datetime_skeletons", "compact_decimal_formats", "compact_currency_formats",
})  # fmt: skip


def trim_locale_data(source: Path, target: Path) -> list[Path]:
    """Write a trimmed copy of every `source/*.dat` into `target`; return the copies."""
    target.mkdir(parents=True, exist_ok=True)
    written = []
    for dat in sorted(source.glob("*.dat")):
        with dat.open("rb") as handle:
            data = pickle.load(handle)  # noqa: S301 - babel's own files, from the locked wheel
        for key in UNUSED_KEYS & data.keys():
            del data[key]
        out = target / dat.name
        with out.open("wb") as handle:
            pickle.dump(data, handle, protocol=pickle.HIGHEST_PROTOCOL)
        written.append(out)
    return written
