"""The contact a closure report names (联系人, 联系电话, 电子邮箱): the installation's settings,
over them a rectification task's, over that a case's own, over all what the caller gives
(the command line's or the API's arguments), field by field."""

from __future__ import annotations

import re
from dataclasses import dataclass, fields, replace

import sqlalchemy as sa

from inspections import audit
from inspections.actors import Actor
from inspections.cases import get_case
from inspections.clock import Clock
from inspections.errors import InvalidInput, NotAllowed
from inspections.schema import cases

SETTERS = ("leader", "admin")  # who names a case's own contact
LIMITS = {"person": 100, "phone": 50, "email": 200}  # the columns' lengths
PHONE = re.compile(r"^[0-9+()\- ]{3,50}$")
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


@dataclass(frozen=True)
class Contact:
    """Who to reach about a report; a field left None is not set at this level."""

    person: str | None = None
    phone: str | None = None
    email: str | None = None

    def over(self, base: Contact) -> Contact:
        """This contact's fields where set, else the base's."""
        return replace(base, **{f.name: getattr(self, f.name) for f in fields(self)
                                if getattr(self, f.name)})


def merged(*levels: Contact | None) -> Contact:
    """The levels from the lowest (settings) to the highest (an argument), each set field
    over the ones below it."""
    found = Contact()
    for level in levels:
        if level is not None:
            found = level.over(found)
    return found


def checked(contact: Contact, what: str) -> Contact:
    """The contact with its fields stripped (empty ones None); InvalidInput naming `what`
    (a task, a case, an argument) and the field that is malformed."""
    values: dict[str, str | None] = {}
    for name, limit in LIMITS.items():
        text = (getattr(contact, name) or "").strip() or None
        if text is not None and len(text) > limit:
            raise InvalidInput(f"{what}: contact {name} is longer than {limit} characters")
        values[name] = text
    if values["phone"] and not PHONE.match(values["phone"]):
        raise InvalidInput(f"{what}: contact phone {values['phone']!r} is not a telephone "
                           "number (digits, spaces, +, - and brackets)")
    if values["email"] and not EMAIL.match(values["email"]):
        raise InvalidInput(f"{what}: contact email {values['email']!r} is not an e-mail "
                           "address")
    return Contact(**values)


def case_contact(conn: sa.Connection, case_id: int) -> Contact:
    """A case's own contact (its fields None where the case sets none)."""
    row = conn.execute(sa.select(cases.c.contact_person, cases.c.contact_phone,
                                 cases.c.contact_email).where(cases.c.id == case_id)).first()
    return Contact(*row) if row is not None else Contact()


def set_case_contact(conn: sa.Connection, *, case_id: int, actor: Actor, clock: Clock,
                     contact: Contact) -> Contact:
    """Name a case's own contact for its closure report (a leader or an admin); the fields
    not given are cleared, so the task's or the settings' hold there again. What is set."""
    case = get_case(conn, case_id)
    if actor.role not in SETTERS:
        raise NotAllowed(f"case {case.reference}: role {actor.role!r} may not set the "
                         f"report's contact; only {', '.join(SETTERS)}")
    found = checked(contact, f"case {case.reference}")
    conn.execute(sa.update(cases).where(cases.c.id == case.id).values(
        contact_person=found.person, contact_phone=found.phone, contact_email=found.email))
    audit.record(conn, actor=actor, action="case.set_contact", entity="case",
                 entity_id=case.id, at=clock.now(),
                 data={"person": found.person, "phone": found.phone, "email": found.email})
    return found
