"""One short line saying why an invoice's greyed actions are greyed; each button's tooltip
keeps its own reason.

The state machine words a refusal as "<what is needed>; this one is <state>"
(domain.invoice_state.check_action). When the greyed actions are refused for one state,
the line names that state once (a PDF still to come, say, stays in its button's tooltip);
otherwise it gives the first reason and points at the rest.
"""

from __future__ import annotations

_STATE_SEPARATOR = "; this one is "


def reason_line(reasons: list[str]) -> str:
    unique = list(dict.fromkeys(r.strip().rstrip(".") for r in reasons if r.strip()))
    if not unique:
        return ""
    if len(unique) == 1:
        return f"{unique[0]}."
    states = list(
        dict.fromkeys(r.split(_STATE_SEPARATOR, 1)[1] for r in unique if _STATE_SEPARATOR in r)
    )
    if len(states) == 1:
        return f"The greyed actions do not apply while the invoice is {states[0]}; point at one."
    return f"{unique[0]}. Point at the other greyed actions to see why."
