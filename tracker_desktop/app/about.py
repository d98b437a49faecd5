"""The Help menu of the main window, and what its About shows, from the app's folders."""

from __future__ import annotations

from PySide6.QtWidgets import QMainWindow

from tracker_desktop import app_version
from tracker_desktop.config.log_setup import LOG_FILE_NAME
from tracker_desktop.config.paths import AppPaths, database_url
from tracker_desktop.ui.help_menu import AboutFacts, HelpMenu


def about_facts(paths: AppPaths) -> AboutFacts:
    """What Help → About shows; a server's URL is not shown (it may hold a password)."""
    server = not database_url(paths).startswith("sqlite")
    database = "the server in TRACKER_DATABASE_URL" if server else str(paths.database_file)
    return AboutFacts(app_version(), database, paths.data, paths.logs, paths.logs / LOG_FILE_NAME)


def install_help_menu(window: QMainWindow, paths: AppPaths) -> HelpMenu:
    """About's facts are gathered when asked: reading the version costs start-up time."""
    return HelpMenu(window, lambda: about_facts(paths))
