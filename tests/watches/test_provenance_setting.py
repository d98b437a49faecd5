"""Settings → Provenance: the age after which the composer warns is kept in settings.json,
and a hand-edited value the app cannot use falls back to the default."""

from __future__ import annotations

import json
from pathlib import Path

from pytestqt.qtbot import QtBot

from tracker_desktop.config.settings import AppSettings, load_settings
from tracker_desktop.ui.watches.provenance_setting import ProvenanceSetting


def test_the_age_is_kept_and_a_bad_one_is_ignored(qtbot: QtBot, tmp_path: Path) -> None:
    file = tmp_path / "settings.json"
    settings = AppSettings()
    section = ProvenanceSetting(settings, file)
    qtbot.addWidget(section)
    assert section.max_age.value() == 365
    section.max_age.setValue(90)
    assert settings.provenance_check_max_age_days == 90
    assert load_settings(file).provenance_check_max_age_days == 90

    for bad in (0, -5, "90", True, 100_000):
        file.write_text(json.dumps({"provenance_check_max_age_days": bad}), encoding="utf-8")
        assert load_settings(file).provenance_check_max_age_days == 365
