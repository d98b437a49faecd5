"""The bundle's rebuilt ICU data library (packaging/icu_trim.py) answers Qt as the wheel's
whole one does: collation in locales of several scripts, case mapping, normalization. The
same program runs in two processes, one loading each library (LD_LIBRARY_PATH comes before
the wheel's RUNPATH, so the copy in the folder is the one QtCore gets)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import PySide6
import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "packaging"))
from icu_trim import dropped, trim_icu_library  # noqa: E402

WHEEL_ICU = Path(PySide6.__file__).parent / "Qt" / "lib" / "libicudata.so.73"
LOCALES = ["de_DE", "sv_SE", "fr_FR", "es_ES", "pl_PL", "tr_TR", "ja_JP", "zh_CN", "ru_RU",
           "ar_EG", "th_TH", "en_US"]  # fmt: skip
WORDS = ["Zürich", "Ångström", "zebra", "Öl", "Lyon", "ça", "chorro", "ıslak", "İstanbul",
         "東京", "北京", "Москва", "القاهرة", "กรุงเทพ", "łódź", "Łódź", "apple",
         "Apple"]  # fmt: skip

PROBE = """
import functools, json, sys
from PySide6.QtCore import QCollator, QLocale
locales, words = json.loads(sys.argv[1]), json.loads(sys.argv[2])
out = {}
for name in locales:
    collator = QCollator(QLocale(name))
    out[name] = {
        "sorted": sorted(words, key=functools.cmp_to_key(collator.compare)),
        "order": [[collator.compare(a, b) for b in words] for a in words],
        "upper": [QLocale(name).toUpper(w) for w in words],
        "lower": [QLocale(name).toLower(w) for w in words],
    }
print(json.dumps(out))
"""

pytestmark = pytest.mark.skipif(
    not sys.platform.startswith("linux") or not WHEEL_ICU.exists() or not shutil.which("icupkg"),
    reason="the ICU trim runs on Linux builds only and needs icupkg (icu-devtools)",
)


def _answers(library_folder: Path | None) -> dict[str, object]:
    env = {k: v for k, v in os.environ.items() if k != "LD_LIBRARY_PATH"}
    if library_folder is not None:
        env["LD_LIBRARY_PATH"] = str(library_folder)
    done = subprocess.run(
        [sys.executable, "-c", PROBE, json.dumps(LOCALES), json.dumps(WORDS)],
        capture_output=True,
        text=True,
        check=False,
        timeout=240,
        env=env,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert "Could not create collator" not in done.stderr
    result: dict[str, object] = json.loads(done.stdout)
    return result


def test_the_trimmed_library_answers_qt_as_the_whole_one_does(tmp_path: Path) -> None:
    before, after = trim_icu_library(WHEEL_ICU, tmp_path / WHEEL_ICU.name)
    assert after < before / 4  # the point of it: 31 MB of data down to about 5
    assert _answers(tmp_path) == _answers(None)


def test_the_trim_keeps_collation_and_the_core_tables() -> None:
    for kept in ("coll/de.res", "coll/root.res", "coll/ucadata.icu", "root.res", "pool.res",
                 "res_index.res", "likelySubtags.res", "nfkc.nrm", "uts46.nrm"):  # fmt: skip
        assert not dropped(kept), kept
    for gone in ("de_CH.res", "zh_Hant_TW.res", "curr/de.res", "zone/fr.res",
                 "brkitr/thaidict.dict", "ibm-943_P15A-2003.cnv", "translit/root.res"):  # fmt: skip
        assert dropped(gone), gone
