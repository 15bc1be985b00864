"""Status colours, the same as the map legend's: overdue or recurred red, due or awaiting
orange, in progress blue, passed or closed green, grey for anything else."""

from __future__ import annotations

TONES = {
    "red": {"overdue", "recurred", "confirmed", "case_overdue", "escalated", "rejected", "failed",
            "behind_schedule"},
    "orange": {"due", "awaiting_review", "possible_change", "unreviewed", "open", "rectified",
               "accepted", "assessed",
               "publicised", "answered", "pending", "returned", "retrying"},
    "blue": {"rectifying", "scheduled", "in_progress", "issued", "running"},
    "green": {"closed", "passed", "dismissed", "verified", "on_schedule", "done", "stored",
              "succeeded"},
}
_BY_STATE = {state: tone for tone, states in TONES.items() for state in states}


def tone(state: str | None) -> str:
    """The colour class of a state, flag or outcome ("grey" when it has none)."""
    return _BY_STATE.get(state or "", "grey")
