"""Who acts in the demo scenario: the bureau's leaders, the acceptance and assessment groups,
the look-back agency, the units."""

from __future__ import annotations

from inspections.actors import Actor
from inspections.patrol import town_unit as town_office

__all__ = ["town_office"]

SECOND_ROUND = "第二轮中央生态环境保护督察"
LOOKBACK_2018 = "2018年中央环境保护督察“回头看”"
AGENCY = "台州环科第三方评估中心"

LEADER = Actor("区整改办 王志刚", "leader")
INSPECTOR = Actor("陈晓东", "inspector", agency=AGENCY)
ACCEPTOR = Actor("区整治验收工作小组 刘建国", "acceptor")  # 验收: the government's group
ASSESSOR = Actor("区销号评估工作小组 吴海燕", "assessor")  # 销号评估
DEPUTY_MAYORS = ("张立新副区长", "李卫东副区长", "周敏副区长")

BUREAUS = ("区生态环境分局", "区住房和城乡建设局", "区综合行政执法局", "区农业农村局",
           "区水利局", "区经济和信息化局")


def unit_staff(unit: str) -> Actor:
    """The liaison of a responsible unit, who reports its work."""
    return Actor(f"{unit}联络员", "unit", unit=unit)


def grid_officer(town: str) -> Actor:
    """A grid officer (网格员) of a town."""
    return Actor(f"{town}网格员", "grid_officer")
