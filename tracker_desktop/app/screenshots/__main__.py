"""`python -m tracker_desktop.app.screenshots OUTDIR` (see the package docstring)."""

from tracker_desktop.app.screenshots import main

raise SystemExit(main())
