"""The bundle's trimmed CLDR data (packaging/cldr_trim.py) formats and reads money, dates and
country names exactly as babel's whole data does, in locales from every script the app may
meet; the same program runs in two processes, one on each copy of the data."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import babel

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "packaging"))
from cldr_trim import UNUSED_KEYS, trim_locale_data  # noqa: E402

LOCALES = ["en_US", "en_GB", "de_CH", "de_DE", "fr_FR", "it_CH", "nl_NL", "sv_SE", "pl_PL",
           "pt_BR", "es_MX", "ja_JP", "zh_Hans_CN", "ko_KR", "ar_EG", "he_IL", "hi_IN", "ru_RU",
           "tr_TR", "th_TH"]  # fmt: skip

PROBE = Path(__file__).with_name("cldr_probe.py")


def _run(data: str) -> dict[str, object]:
    env = {"TZ": "Europe/Zurich", "PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, str(PROBE), data, json.dumps(LOCALES)],
        capture_output=True,
        text=True,
        check=False,
        timeout=240,
        env=env,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    result: dict[str, object] = json.loads(done.stdout)
    return result


def test_trimmed_data_answers_the_app_as_the_whole_data_does(tmp_path: Path) -> None:
    source = Path(babel.__file__).parent / "locale-data"
    written = trim_locale_data(source, tmp_path / "cldr")
    assert len(written) == len(list(source.glob("*.dat")))  # every locale is kept
    assert (
        sum(p.stat().st_size for p in written)
        < sum(p.stat().st_size for p in source.glob("*.dat")) / 2
    )
    whole, trimmed = _run("whole"), _run(str(tmp_path / "cldr"))
    assert trimmed == whole
    assert whole["nl_NL"]["dealer"] == "nl_NL"  # type: ignore[index]


def test_what_is_dropped_is_never_asked_for_by_the_app() -> None:
    # The app asks babel for territories (the country list): they must stay.
    assert "territories" not in UNUSED_KEYS
    assert {"number_symbols", "currency_symbols", "currency_names", "date_formats"}.isdisjoint(
        UNUSED_KEYS
    )
