"""Who does something: a named person in a role, with their unit or agency."""

from __future__ import annotations

from dataclasses import dataclass

ROLES = ("grid_officer", "inspector", "unit", "leader", "admin", "acceptor", "assessor",
         "system")


@dataclass(frozen=True)
class Actor:
    """A person (or the system itself) acting in one role."""

    name: str
    role: str
    unit: str | None = None  # for role "unit": the responsible unit they work for
    agency: str | None = None  # for role "inspector": the third-party agency

    def __post_init__(self) -> None:
        if self.role not in ROLES:
            raise ValueError(f"role {self.role!r} is unknown; use one of {', '.join(ROLES)}")


SYSTEM = Actor("lookback", "system")
