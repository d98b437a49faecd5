"""The composer's provenance warning: a watch about to be invoiced with no stolen-register
check on record, or one older than the dealer's setting. It warns and never blocks: the
dealer may know the watch well, but should see that the record does not show it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from tracker_desktop.services.inventory.provenance import ProvenanceService


class ProvenanceWarning:
    def __init__(
        self,
        provenance: ProvenanceService,
        max_age_days: Callable[[], int],
        today: Callable[[], dt.date] = dt.date.today,
    ) -> None:
        self._provenance = provenance
        self._max_age_days = max_age_days
        self._today = today

    def text(self, profile_id: int, watch_id: int, title: str) -> str:
        """What to tell the dealer about `title`'s checks, or "" when a recent one is kept."""
        latest = self._provenance.latest_check(profile_id, watch_id)
        if latest is None:
            return (
                f"No stolen-register check is on record for {title}. "
                "Add one in its Provenance tab (Watches window) before it leaves the shop."
            )
        age = (self._today() - latest.checked_on).days
        limit = self._max_age_days()
        if age > limit:
            return (
                f"The last stolen-register check of {title} ({latest.register}, "
                f"{latest.checked_on.isoformat()}) is {age} days old, more than the "
                f"{limit} days set in Settings. Check it again before it leaves the shop."
            )
        return ""
