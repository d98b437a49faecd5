from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from tracker_desktop.ui.main_window import MainWindow, PageSpec
from tracker_desktop.ui.pages_registry import build_pages
from tracker_desktop.ui.widgets.mode_badge import MODE_LIVE, MODE_PRACTICE, MODE_TEST


def _no_services() -> object:
    raise AssertionError("no page may be built before the services exist")


def test_navigation_lists_every_window_and_waits_for_the_database(qtbot: QtBot) -> None:
    specs = build_pages(_no_services, _no_services)  # type: ignore[arg-type]
    # The real pages need services; stand-ins with the same keys show the navigation.
    window = MainWindow([PageSpec(s.key, s.title, lambda t=s.title: QLabel(t)) for s in specs])
    qtbot.addWidget(window)
    window.show()
    titles = [window.nav.item(i).text() for i in range(window.nav.count())]
    assert titles == ["Dashboard", "Invoices", "Clients", "Watches", "Settings"]
    assert not window.nav.isEnabled()
    assert window.startup_banner.isVisible()
    window.enable_pages("watches")
    assert window.nav.isEnabled()
    assert not window.startup_banner.isVisible()
    assert window.nav.currentItem().text() == "Watches"


def test_pages_are_built_on_first_visit_only(qtbot: QtBot) -> None:
    built: list[str] = []

    def factory(name: str) -> PageSpec:
        def make() -> QLabel:
            built.append(name)
            return QLabel(name)

        return PageSpec(name, name.title(), make)

    window = MainWindow([factory("a"), factory("b")])
    qtbot.addWidget(window)
    window.enable_pages("a")
    assert built == ["a"]
    window.nav.setCurrentRow(1)
    window.nav.setCurrentRow(0)
    window.nav.setCurrentRow(1)
    assert built == ["a", "b"]
    assert window.stack.currentWidget() is window.page("b")


def test_mode_is_unmistakable_in_badge_title_and_banner(qtbot: QtBot) -> None:
    window = MainWindow(build_pages(_no_services, _no_services))  # type: ignore[arg-type]
    qtbot.addWidget(window)
    window.show()
    window.set_profile("Geneva Watches", MODE_TEST)
    assert window.mode_badge.text() == "TEST MODE"
    assert "TEST MODE" in window.windowTitle()
    assert not window.practice_banner.isVisible()
    window.set_profile("Geneva Watches", MODE_LIVE)
    assert window.windowTitle().startswith("[LIVE]")
    assert "real money" in window.mode_badge.text()
    window.set_profile("Practice", MODE_PRACTICE)
    assert window.practice_banner.isVisible()
    assert "No real money" in window.practice_banner.text()


def test_startup_problem_is_shown_in_the_window(qtbot: QtBot) -> None:
    window = MainWindow(build_pages(_no_services, _no_services))  # type: ignore[arg-type]
    qtbot.addWidget(window)
    window.show()
    window.show_startup_problem("could not read /x/tracker.sqlite3")
    assert window.startup_banner.isVisible()
    assert "/x/tracker.sqlite3" in window.startup_banner.text()
    assert not window.nav.isEnabled()


def test_ctrl_1_to_5_open_the_pages_in_the_navigations_order(qtbot: QtBot) -> None:
    specs = build_pages(_no_services, _no_services)  # type: ignore[arg-type]
    window = MainWindow([PageSpec(s.key, s.title, lambda t=s.title: QLabel(t)) for s in specs])
    qtbot.addWidget(window)
    window.show()
    window.enable_pages("invoices")
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    for number, title in enumerate(["Dashboard", "Invoices", "Clients", "Watches", "Settings"]):
        key = getattr(Qt.Key, f"Key_{number + 1}")
        qtbot.keyClick(window.focusWidget() or window, key, Qt.KeyboardModifier.ControlModifier)
        shown = window.stack.currentWidget()
        assert isinstance(shown, QLabel)
        assert shown.text() == title
