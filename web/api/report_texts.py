"""The progress report's written paragraphs of a year or a month, read and saved (leaders and
admins), as the report page shows and saves them."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field

from inspections import report_texts as rt
from inspections.errors import NotAllowed
from web.deps import ClockDep, CurrentUser, EngineDep
from web.errors import ERROR_RESPONSES

router = APIRouter(prefix="/api/reports/texts", tags=["reports"], responses=ERROR_RESPONSES)
Year = Annotated[int, Query(ge=rt.YEARS[0], le=rt.YEARS[1])]
Month = Annotated[int | None, Query(ge=1, le=12, description="none: the year's report")]


class PeriodTextsView(BaseModel):
    """A period's paragraphs by part; `draft_from` (YYYY-MM or YYYY) when they are an
    earlier period's draft, nothing being saved for this one."""

    kind: str
    year: int
    month: int | None
    texts: dict[str, str]
    draft_from: str | None
    updated_at: datetime | None
    updated_by: str | None


class SavedTexts(PeriodTextsView):
    """The period's paragraphs once saved, and the parts whose text changed."""

    changed: list[str]


class NewTexts(BaseModel):
    """Paragraphs by part (intro, organisation, ... plan); an empty one clears its part."""

    texts: dict[str, str] = Field(description='e.g. {"plan": "紧盯剩余问题……"}')


def _view(shown: rt.PeriodTexts) -> dict[str, object]:
    p = shown.period
    return {"kind": p.kind, "year": p.year, "month": p.month, "texts": shown.texts,
            "draft_from": str(shown.draft_from) if shown.draft_from else None,
            "updated_at": shown.updated_at, "updated_by": shown.updated_by}


@router.get("", response_model=PeriodTextsView)
def read_texts(engine: EngineDep, user: CurrentUser, year: Year,
               month: Month = None) -> dict[str, object]:
    """The paragraphs saved for the period, or the latest earlier period's as a draft."""
    if not rt.may_read(user.role):
        raise NotAllowed(f"report texts: role {user.role!r} may not read them; only "
                         f"{', '.join(rt.READ_ROLES)}")
    with engine.connect() as conn:
        return _view(rt.period_texts(conn, rt.report_period(year, month)))


@router.put("", response_model=SavedTexts)
def save_texts(body: NewTexts, engine: EngineDep, clock: ClockDep, user: CurrentUser,
               year: Year, month: Month = None) -> dict[str, object]:
    """Save the period's paragraphs (the parts given), audited."""
    period = rt.report_period(year, month)
    with engine.begin() as conn:
        changed = rt.save_texts(conn, actor=user.actor, clock=clock, period=period,
                                texts=body.texts)
        return _view(rt.period_texts(conn, period)) | {"changed": changed}
