"""`python -m tracker_desktop` runs the app, as the `tracker-desktop` command does."""

from tracker_desktop.app.cli import main

raise SystemExit(main())
