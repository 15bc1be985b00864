"""Users (用户): create them with a role and what binds them (grid cells, agency, unit), and
read them back as the actor the domain services take."""

from __future__ import annotations

import functools
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa

from geo.layers import GRID_CELLS
from inspections.actors import Actor
from web.accounts.errors import InvalidAccount, UnknownUser
from web.accounts.passwords import MIN_LENGTH, hash_password
from web.accounts.schema import USER_ROLES, sessions, user_grid_cells, users

NAME_CHARS = set("abcdefghijklmnopqrstuvwxyz0123456789._-")
RESERVED = frozenset({"new", "step-roles"})  # /accounts/NAME would open the page of that name


@dataclass(frozen=True)
class User:
    """A user as stored, with the grid cells an officer is bound to."""

    id: int
    name: str
    role: str
    agency: str | None
    unit: str | None
    active: bool
    grid_cell_ids: tuple[int, ...]
    grid_cell_codes: tuple[str, ...]

    @property
    def actor(self) -> Actor:
        """The user as the domain services see them."""
        return Actor(self.name, self.role, unit=self.unit, agency=self.agency)


def _check_name(name: str) -> str:
    name = (name or "").strip().lower()
    if not 2 <= len(name) <= 64 or not set(name) <= NAME_CHARS:
        raise InvalidAccount(f"user {name!r}: a name is 2 to 64 characters of a-z, 0-9, "
                             "'.', '_' and '-'", field="name", reason="name_format")
    if name in RESERVED:
        raise InvalidAccount(f"user {name!r}: the name is one of the accounts pages'; choose "
                             "another", field="name", reason="name_reserved")
    return name


def _check_binding(name: str, role: str, grids: Sequence[str], agency: str | None,
                   unit: str | None) -> None:
    if role not in USER_ROLES:
        raise InvalidAccount(f"user {name}: role {role!r} is unknown; use one of "
                             f"{', '.join(USER_ROLES)}", field="role", reason="role_unknown")
    needs = {"grid_officer": ("--grid", grids), "inspector": ("--agency", agency),
             "unit": ("--unit", unit)}
    if role in needs and not needs[role][1]:
        option = needs[role][0]
        raise InvalidAccount(f"user {name}: role {role} needs {option}", field=option[2:],
                             reason="required", values={"role": role})
    for option, value, only in (("--grid", grids, "grid_officer"),
                                ("--agency", agency, "inspector"), ("--unit", unit, "unit")):
        if value and role != only:
            raise InvalidAccount(f"user {name}: {option} is only for role {only}, not {role}",
                                 field=option[2:], reason="only_for",
                                 values={"role": role, "only": only})


def _grid_ids(conn: sa.Connection, name: str, codes: Sequence[str]) -> list[int]:
    table = GRID_CELLS.table
    found = dict(conn.execute(sa.select(table.c.code, table.c.id)
                              .where(table.c.code.in_(list(codes)))).all())
    if missing := [c for c in codes if c not in found]:
        raise InvalidAccount(f"user {name}: no grid cell with code {', '.join(missing)}",
                             field="grid", reason="unknown_grid",
                             values={"codes": ", ".join(missing)})
    return [found[c] for c in dict.fromkeys(codes)]


def add_user(conn: sa.Connection, *, name: str, password: str, role: str, now: datetime,
             grids: Sequence[str] = (), agency: str | None = None,
             unit: str | None = None) -> User:
    """Create a user; InvalidAccount names what was wrong (nothing is written then)."""
    name = _check_name(name)
    _check_binding(name, role, grids, agency, unit)
    if len(password or "") < MIN_LENGTH:
        raise InvalidAccount(f"user {name}: the password must be at least {MIN_LENGTH} "
                             "characters", field="password", reason="password_short",
                             values={"min": str(MIN_LENGTH)})
    if conn.execute(sa.select(users.c.id).where(users.c.name == name)).first():
        raise InvalidAccount(f"user {name}: the name is taken", field="name",
                             reason="name_taken")
    cell_ids = _grid_ids(conn, name, grids)
    user_id = conn.execute(sa.insert(users).returning(users.c.id), {
        "name": name, "password_hash": hash_password(password), "role": role,
        "agency": agency, "unit": unit, "active": True, "created_at": now}).scalar_one()
    if cell_ids:
        conn.execute(sa.insert(user_grid_cells),
                     [{"user_id": user_id, "grid_cell_id": c} for c in cell_ids])
    return get_user(conn, user_id)


def user_of_row(conn: sa.Connection, row: sa.RowMapping) -> User:
    """The user of a row of the users table (its grid cells read)."""
    bound = conn.execute(_cells_query(), {"user_id": row["id"]}).all()
    return User(row["id"], row["name"], row["role"], row["agency"], row["unit"],
                bool(row["active"]), tuple(b.id for b in bound), tuple(b.code for b in bound))


@functools.cache
def _cells_query() -> sa.Select:
    """A user's grid cells, by code: built once (every request reads its user's)."""
    cells = GRID_CELLS.table
    return (sa.select(cells.c.id, cells.c.code)
            .join(user_grid_cells, user_grid_cells.c.grid_cell_id == cells.c.id)
            .where(user_grid_cells.c.user_id == sa.bindparam("user_id"))
            .order_by(cells.c.code))


def get_user(conn: sa.Connection, user_id: int) -> User:
    """The user with this id (it must exist)."""
    return user_of_row(conn, conn.execute(sa.select(users).where(users.c.id == user_id))
                  .mappings().one())


def find_user(conn: sa.Connection, name: str) -> tuple[User, str] | None:
    """The user by name with their password hash, or None."""
    row = conn.execute(sa.select(users).where(users.c.name == (name or "").strip().lower())
                       ).mappings().first()
    return None if row is None else (user_of_row(conn, row), row["password_hash"])


def list_users(conn: sa.Connection) -> list[User]:
    """Every user, by name."""
    rows = conn.execute(sa.select(users).order_by(users.c.name)).mappings().all()
    return [user_of_row(conn, r) for r in rows]


def _existing(conn: sa.Connection, name: str) -> User:
    found = find_user(conn, name)
    if found is None:
        raise UnknownUser(f"user {name}: no such user")
    return found[0]


def set_active(conn: sa.Connection, name: str, active: bool) -> User:
    """Enable or disable a user (a disabled user's sessions stop working at once)."""
    user = _existing(conn, name)
    conn.execute(sa.update(users).where(users.c.id == user.id).values(active=active))
    return get_user(conn, user.id)


def change_role(conn: sa.Connection, name: str, *, role: str, by: str,
                grids: Sequence[str] = (), agency: str | None = None,
                unit: str | None = None) -> User:
    """Give a user another role, or other bindings (grid cells, agency, unit), by the rules
    of a new account; it applies from their next request. Administrators may not change
    their own (nobody could undo a mistake). InvalidAccount names what was wrong (nothing is
    written then)."""
    user = _existing(conn, name)
    _check_binding(user.name, role, grids, agency, unit)
    if user.name == by:
        raise InvalidAccount(f"user {name}: administrators may not change their own role",
                             field="role", reason="own_role")
    cell_ids = _grid_ids(conn, user.name, grids)
    conn.execute(sa.update(users).where(users.c.id == user.id)
                 .values(role=role, agency=agency, unit=unit))
    conn.execute(sa.delete(user_grid_cells).where(user_grid_cells.c.user_id == user.id))
    if cell_ids:
        conn.execute(sa.insert(user_grid_cells),
                     [{"user_id": user.id, "grid_cell_id": c} for c in cell_ids])
    return get_user(conn, user.id)


def new_password() -> str:
    """A random password to hand over once (about 96 bits, no look-alike characters)."""
    alphabet = "abcdefghijkmnpqrstuvwxyzACDEFGHJKLMNPQRSTUVWXYZ23456789"
    return "".join(secrets.choice(alphabet) for _ in range(16))


def reset_password(conn: sa.Connection, name: str, password: str) -> User:
    """Give a user a new password; their open sessions end (only the hash is stored)."""
    if len(password or "") < MIN_LENGTH:
        raise InvalidAccount(f"user {name}: the password must be at least {MIN_LENGTH} "
                             "characters", field="password", reason="password_short",
                             values={"min": str(MIN_LENGTH)})
    user = _existing(conn, name)
    conn.execute(sa.update(users).where(users.c.id == user.id)
                 .values(password_hash=hash_password(password)))
    conn.execute(sa.delete(sessions).where(sessions.c.user_id == user.id))
    return get_user(conn, user.id)
