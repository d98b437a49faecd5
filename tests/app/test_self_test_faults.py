"""`--self-test` fails with its reason, never hangs: real processes of the dev install with
a real fault (a package shadowed on PYTHONPATH), and the tour and the dialog sentry on real
widgets."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtWidgets import QLabel, QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from tracker_desktop.app.self_test_tour import DialogSentry, visit_everything
from tracker_desktop.ui.main_window import MainWindow, PageSpec

# Only a guard for the test run itself: a self-test that hangs makes this test fail.
GUARD_SECONDS = 240


def _self_test(tmp_path: Path, shadow: str | None, *args: str) -> subprocess.CompletedProcess[str]:
    """The dev install's self-test; with `shadow`, a `babel` package on PYTHONPATH whose
    import runs it (the app imports babel while it builds its services, after first paint)."""
    env = {k: v for k, v in os.environ.items() if k not in ("TRACKER_HOME", "DISPLAY")}
    if shadow is not None:
        package = tmp_path / "shadow" / "babel"
        package.mkdir(parents=True)
        (package / "__init__.py").write_text(shadow, encoding="utf-8")
        env["PYTHONPATH"] = str(tmp_path / "shadow")
    return subprocess.run(
        [sys.executable, "-m", "tracker_desktop", "--self-test", *args],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=GUARD_SECONDS,
        check=False,
    )


def test_a_module_that_will_not_import_fails_the_self_test_with_the_reason(
    tmp_path: Path,
) -> None:
    done = _self_test(tmp_path, 'raise ImportError("no babel in this install")')
    assert done.returncode == 1, done.stdout + done.stderr
    assert "self-test FAILED:" in done.stderr
    assert "ImportError: no babel in this install" in done.stderr
    assert "self-test ok" not in done.stdout


def test_a_self_test_that_hangs_is_ended_by_its_watchdog(tmp_path: Path) -> None:
    # The import never returns: the GUI thread is stuck where no error hook can see it.
    done = _self_test(
        tmp_path, "import threading\nthreading.Event().wait()\n", "--self-test-timeout", "25"
    )
    assert done.returncode == 1, done.stdout + done.stderr
    assert "self-test FAILED: no answer after 25 s; the app is stuck." in done.stderr
    assert str(tmp_path / "shadow" / "babel" / "__init__.py") in done.stderr  # where it stood


def test_without_a_fault_the_self_test_opens_every_page_and_the_pdf_viewer(
    tmp_path: Path,
) -> None:
    done = _self_test(tmp_path, None)
    assert done.returncode == 0, done.stderr
    assert (
        "self-test opened: Dashboard, Invoices, Clients, Watches, Settings, the PDF viewer"
        in done.stderr
    )
    assert done.stdout.startswith("self-test ok: ")


def _window(qtbot: QtBot, broken: str) -> MainWindow:
    def page(title: str) -> QWidget:
        if title == broken:
            raise ImportError(f"the {title} page's module is missing")
        return QLabel(title)

    window = MainWindow([PageSpec(t.lower(), t, lambda t=t: page(t)) for t in ("One", "Two")])
    qtbot.addWidget(window)
    window.enable_pages("one")
    return window


def test_the_tour_stops_at_a_page_that_cannot_be_built(qtbot: QtBot, tmp_path: Path) -> None:
    window = _window(qtbot, broken="Two")
    # The page's own error goes to the error hook (a slot raised it); the tour says which.
    with (
        qtbot.capture_exceptions() as raised,
        pytest.raises(RuntimeError, match="the Two page did not open"),
    ):
        asyncio.run(visit_everything(window, tmp_path))
    assert [str(exc) for _, exc, _ in raised] == ["the Two page's module is missing"]


def test_the_tour_opens_each_page_then_a_pdf(qtbot: QtBot, tmp_path: Path) -> None:
    window = _window(qtbot, broken="")
    assert asyncio.run(visit_everything(window, tmp_path)) == ["One", "Two", "the PDF viewer"]
    assert (tmp_path / "self-test.pdf").read_bytes().startswith(b"%PDF")


def test_a_dialog_that_opens_fails_the_self_test_with_its_text_and_is_closed(
    qtbot: QtBot,
) -> None:
    reasons: list[str] = []
    sentry = DialogSentry(reasons.append)
    box = QMessageBox(QMessageBox.Icon.Warning, "Backups", "The backup folder is read-only.")
    qtbot.addWidget(box)
    box.open()
    qtbot.waitUntil(lambda: bool(reasons))
    assert reasons == ['a dialog opened, "Backups": The backup folder is read-only.']
    assert not box.isVisible()
    del sentry
