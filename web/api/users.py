"""User accounts (administrators only)."""

from __future__ import annotations

from fastapi import APIRouter
from pydantic import BaseModel

from inspections.errors import NotAllowed
from web.accounts.users import User, add_user, list_users, set_active
from web.deps import ClockDep, CurrentUser, EngineDep
from web.errors import ERROR_RESPONSES

router = APIRouter(prefix="/api/users", tags=["users"], responses=ERROR_RESPONSES)


class NewUser(BaseModel):
    """An account to create."""

    name: str
    password: str
    role: str
    grids: list[str] = []
    agency: str | None = None
    unit: str | None = None


class UserView(BaseModel):
    """An account as administrators see it (never its password hash)."""

    id: int
    name: str
    role: str
    agency: str | None
    unit: str | None
    active: bool
    grid_cells: list[str]

    @classmethod
    def of(cls, user: User) -> UserView:
        """The view of a user."""
        return cls(id=user.id, name=user.name, role=user.role, agency=user.agency,
                   unit=user.unit, active=user.active, grid_cells=list(user.grid_cell_codes))


def _admin(user: User, what: str) -> None:
    if user.role != "admin":
        raise NotAllowed(f"users: role {user.role!r} may not {what}; only admin")


@router.get("", response_model=list[UserView])
def users(engine: EngineDep, user: CurrentUser) -> list[UserView]:
    """Every account."""
    _admin(user, "list accounts")
    with engine.connect() as conn:
        return [UserView.of(u) for u in list_users(conn)]


@router.post("", response_model=UserView, status_code=201)
def create(body: NewUser, engine: EngineDep, clock: ClockDep, user: CurrentUser) -> UserView:
    """Create an account."""
    _admin(user, "create accounts")
    with engine.begin() as conn:
        return UserView.of(add_user(conn, name=body.name, password=body.password,
                                    role=body.role, grids=body.grids, agency=body.agency,
                                    unit=body.unit, now=clock.now()))


@router.post("/{name}/disable", response_model=UserView)
def disable(name: str, engine: EngineDep, user: CurrentUser) -> UserView:
    """Disable an account; its sessions end at once."""
    _admin(user, "disable accounts")
    if name == user.name:
        raise NotAllowed(f"user {name}: administrators may not disable themselves")
    with engine.begin() as conn:
        return UserView.of(set_active(conn, name, False))
