"""Cases walked to a given state, for the workflow tests."""

from __future__ import annotations

from tests.inspections.builders import advance_to, new_case


def case_in(engine, clk, photos: dict, state: str, **overrides: object) -> int:  # noqa: ANN001
    """A new case advanced along the legal path to `state`; its id."""
    with engine.begin() as conn:
        case_id = new_case(conn, clk, **overrides)
        advance_to(conn, clk, case_id, state, rectification=photos["rectification"],
                   acceptance=photos["acceptance"])
    return case_id
