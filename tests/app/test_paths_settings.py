from pathlib import Path

import pytest

from tracker_desktop.config.paths import app_paths, database_url
from tracker_desktop.config.settings import AppSettings, load_settings, save_settings


def test_tracker_home_overrides_every_folder(tracker_home: Path) -> None:
    paths = app_paths().ensure()
    for folder in (paths.data, paths.logs, paths.pdfs, paths.backups):
        assert folder.is_dir()
        assert tracker_home in folder.parents
    assert paths.settings_file.parent == tracker_home
    assert database_url(paths) == f"sqlite:///{tracker_home}/data/tracker.sqlite3"


def test_database_url_override(tracker_home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TRACKER_DATABASE_URL", "postgresql+psycopg://shop/tracker")
    assert database_url(app_paths()) == "postgresql+psycopg://shop/tracker"


def test_without_override_platform_folders_are_used(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("TRACKER_HOME", raising=False)
    paths = app_paths()
    assert "TrackerDesktop" in str(paths.data)


def test_settings_round_trip_and_damaged_file(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    assert load_settings(path) == AppSettings()
    save_settings(path, AppSettings(active_profile_id=3, locale="de_CH"))
    assert load_settings(path) == AppSettings(active_profile_id=3, locale="de_CH")
    path.write_text("{not json", encoding="utf-8")
    assert load_settings(path) == AppSettings()
    path.write_text('{"active_profile_id": 4, "stripe_key": "sk_test_x"}', encoding="utf-8")
    loaded = load_settings(path)
    assert loaded.active_profile_id == 4
    save_settings(path, loaded)
    assert "stripe_key" not in path.read_text(encoding="utf-8")
