"""The progress report's written paragraphs (报告文字), kept per period (a month or a year)
and part: saved on the report page, read into that period's report, and offered as the draft
of a later period with nothing saved yet (the latest earlier period of the same kind)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa

from inspections import audit
from inspections.actors import Actor
from inspections.clock import Clock, aware, to_utc
from inspections.errors import InvalidInput, NotAllowed, ReportTextError
from inspections.reports.parts import PARTS
from inspections.schema import report_texts

# There is no clerk role: the district office's clerk works in a leader account (as in the
# complaints import), so leaders write the paragraphs beside the administrators.
WRITE_ROLES = ("leader", "admin")
READ_ROLES = ("leader", "admin")
MAX_TEXT = 3000  # characters a paragraph may have
YEARS = (2000, 2100)  # the years a report may be written for, as the report buttons take
# Control characters no paragraph holds (tab and line ends aside); PostgreSQL refuses NUL.
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


@dataclass(frozen=True)
class ReportPeriod:
    """A report's period: a year, or one month of it."""

    year: int
    month: int | None = None

    @property
    def kind(self) -> str:
        """"month" or "year"."""
        return "year" if self.month is None else "month"

    @property
    def entity_id(self) -> int:
        """The period as one number for the audit log: 202206, or 202200 for the year."""
        return self.year * 100 + (self.month or 0)

    def __str__(self) -> str:
        return f"{self.year}" if self.month is None else f"{self.year}-{self.month:02d}"


@dataclass(frozen=True)
class PeriodTexts:
    """What the report page shows for a period: a paragraph by part and where it came from
    (`draft_from`: the earlier period it is copied from, while nothing is saved for this
    one), with who saved last and when."""

    period: ReportPeriod
    texts: dict[str, str]
    draft_from: ReportPeriod | None = None
    updated_at: datetime | None = None
    updated_by: str | None = None

    @property
    def is_draft(self) -> bool:
        """Whether the paragraphs are an earlier period's, not yet saved for this one."""
        return self.draft_from is not None


def may_write(role: str) -> bool:
    """Whether a role may save a report's paragraphs."""
    return role in WRITE_ROLES


def may_read(role: str) -> bool:
    """Whether a role may read a report's paragraphs (the report page)."""
    return role in READ_ROLES


def _whole(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def report_period(year: object, month: object = None) -> ReportPeriod:
    """The period of a year (month None) or one month of it, checked."""
    first, last = YEARS
    if not _whole(year) or not first <= year <= last:  # type: ignore[operator]
        raise InvalidInput(f"report texts: year {year!r} is not a year from {first} to {last}")
    if month is not None and (not _whole(month) or not 1 <= month <= 12):  # type: ignore[operator]
        raise InvalidInput(f"report texts: month {month!r} is not a month from 1 to 12")
    return ReportPeriod(year, month)  # type: ignore[arg-type]


def _problem(part: str, text: object) -> ReportTextError | None:
    if part not in PARTS:
        return ReportTextError(f"report texts: no part named {part!r}; the parts are "
                               f"{', '.join(PARTS)}", part, "unknown_part")
    if not isinstance(text, str):
        return ReportTextError(f"report texts: {part} ({PARTS[part]}) is not text", part,
                               "not_text")
    if CONTROL.search(text):
        return ReportTextError(f"report texts: {part} ({PARTS[part]}) holds control "
                               "characters", part, "control_chars")
    length = len(_clean(text))
    if length > MAX_TEXT:
        return ReportTextError(f"report texts: {part} ({PARTS[part]}) has {length} characters;"
                               f" at most {MAX_TEXT}", part, "too_long", MAX_TEXT, length)
    return None


def _clean(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n").strip()


def problems(texts: Mapping[str, object]) -> list[ReportTextError]:
    """What is wrong with each paragraph that cannot be kept, in the report's order."""
    found = [p for part, text in texts.items() if (p := _problem(part, text)) is not None]
    order = list(PARTS)
    return sorted(found, key=lambda p: order.index(p.part) if p.part in order else len(order))


def check_texts(texts: Mapping[str, object]) -> dict[str, str]:
    """The paragraphs as kept (line ends unified, trimmed), in the report's order; the first
    problem raised as a ReportTextError."""
    if found := problems(texts):
        raise found[0]
    return {part: _clean(str(texts[part])) for part in PARTS if part in texts}


def _of(period: ReportPeriod) -> tuple[sa.ColumnElement[bool], ...]:
    t = report_texts
    return (t.c.kind == period.kind, t.c.year == period.year, t.c.month == period.month)


def _rows(conn: sa.Connection, period: ReportPeriod) -> list[sa.Row]:
    t = report_texts
    return list(conn.execute(sa.select(t.c.part, t.c.text, t.c.updated_at, t.c.updated_by)
                             .where(*_of(period))))


def _by_part(rows: list[sa.Row]) -> dict[str, str]:
    found = {r.part: r.text for r in rows if r.text}
    return {part: found[part] for part in PARTS if part in found}


def saved_texts(conn: sa.Connection, period: ReportPeriod) -> dict[str, str]:
    """The paragraphs saved for the period (never a draft), by part: what its report carries."""
    return _by_part(_rows(conn, period))


def _earlier(conn: sa.Connection, period: ReportPeriod) -> ReportPeriod | None:
    """The latest period of the same kind before this one with a paragraph saved."""
    t = report_texts
    before = t.c.year < period.year
    if period.month is not None:
        before = sa.or_(before, sa.and_(t.c.year == period.year, t.c.month < period.month))
    row = conn.execute(sa.select(t.c.year, t.c.month)
                       .where(t.c.kind == period.kind, before, t.c.text != "")
                       .order_by(t.c.year.desc(), t.c.month.desc()).limit(1)).first()
    return None if row is None else ReportPeriod(row.year, row.month)


def period_texts(conn: sa.Connection, period: ReportPeriod) -> PeriodTexts:
    """The period's saved paragraphs; with nothing saved, the latest earlier period's as a
    draft (a month's from the months before, a year's from the years before)."""
    rows = _rows(conn, period)
    if rows:
        last = max(rows, key=lambda r: r.updated_at)
        return PeriodTexts(period, _by_part(rows), None, aware(last.updated_at),
                           last.updated_by)
    source = _earlier(conn, period)
    if source is None:
        return PeriodTexts(period, {})
    return PeriodTexts(period, saved_texts(conn, source), source)


def save_texts(conn: sa.Connection, *, actor: Actor, clock: Clock, period: ReportPeriod,
               texts: Mapping[str, object]) -> list[str]:
    """Keep the period's paragraphs (the parts given; an empty one clears its part), audited;
    the parts whose text changed. Once saved, a period is no longer offered a draft."""
    if not may_write(actor.role):
        raise NotAllowed(f"report texts {period}: role {actor.role!r} may not save them; only "
                         f"{', '.join(WRITE_ROLES)}")
    clean = check_texts(texts)
    audit.serialise(conn)  # one writer at a time: a year's rows (month NULL) stay one per part
    current = {r.part: r.text for r in _rows(conn, period)}
    changed = [p for p, text in clean.items() if current.get(p, "") != text]
    written = [p for p in clean if p not in current or p in changed]
    if not written:
        return []
    now, t = clock.now(), report_texts
    values = {"updated_at": to_utc(now), "updated_by": actor.name}
    for part in written:
        if part in current:
            conn.execute(sa.update(t).where(*_of(period), t.c.part == part),
                         values | {"text": clean[part]})
        else:
            conn.execute(sa.insert(t), values | {"kind": period.kind, "year": period.year,
                                                 "month": period.month, "part": part,
                                                 "text": clean[part]})
    audit.record(conn, actor=actor, action="report_texts.save", entity="report_texts",
                 entity_id=period.entity_id, at=now,
                 data={"kind": period.kind, "year": period.year, "month": period.month,
                       "texts": {p: clean[p] for p in changed}})
    return changed
