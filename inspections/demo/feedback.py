"""The 12 feedback problems of the second round of the central inspection (督察反馈问题),
handed to the district on 4 February 2021: 9 closed by the end of 2022, 3 on schedule."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from inspections.cases import create_case
from inspections.demo.loop import Loop, schedule
from inspections.demo.people import AGENCY, DEPUTY_MAYORS, LEADER, SECOND_ROUND
from inspections.demo.world import ScenarioError, World, local

FEEDBACK_DAY = date(2021, 2, 4)
STARTED = date(2021, 2, 20)
END = date(2022, 12, 15)  # measures of the open problems are ticked off up to here


@dataclass(frozen=True)
class Problem:
    """One feedback problem: what, who, by when, where, and how far it got."""

    title: str
    unit: str
    deadline: date
    sites: tuple[str, int]  # (site kind or industry code, how many sites)
    measures: tuple[str, ...]
    claim: date | None = None  # None: still being rectified
    measures_done: int = 0
    key_case: bool = False


PROBLEMS = (
    Problem("医化企业挥发性有机物治理不到位", "区生态环境分局", date(2021, 12, 31),
            ("pharma_chemical", 3),
            ("完成废气收集系统改造", "安装在线监控设备并联网", "开展泄漏检测与修复"),
            claim=date(2021, 5, 10), key_case=True),
    Problem("印染企业废水超标排放", "区生态环境分局", date(2021, 10, 31), ("dyeing", 2),
            ("提标改造污水预处理设施", "规范排污口设置", "落实自行监测"),
            claim=date(2021, 7, 12)),
    Problem("眼镜行业电镀废水管理不规范", "区经济和信息化局", date(2021, 12, 31), ("eyewear", 2),
            ("电镀工序入园集中管理", "建设分质分流收集管网", "建立危险废物管理台账"),
            claim=date(2021, 9, 13)),
    Problem("船舶修造企业露天喷涂污染", "区综合行政执法局", date(2021, 12, 31), ("ship_repair", 2),
            ("建设封闭喷涂车间", "配套废气处理设施", "取缔露天喷涂作业"),
            claim=date(2021, 11, 15)),
    Problem("砂石码头扬尘污染问题突出", "区综合行政执法局", date(2022, 3, 31), ("sand_gravel", 3),
            ("堆场全封闭改造", "安装喷淋抑尘设施", "运输车辆密闭化"),
            claim=date(2022, 2, 14)),
    Problem("纺织企业一般固废随意堆放", "区生态环境分局", date(2022, 6, 30), ("textile", 2),
            ("清理历史堆存固废", "建设规范化固废暂存间", "落实固废转移联单"),
            claim=date(2022, 4, 18)),
    Problem("城镇污水管网雨污混接问题", "区住房和城乡建设局", date(2022, 6, 30), ("dyeing", 1),
            ("排查雨污混接点", "完成混接点改造", "建立管网长效运维机制"),
            claim=date(2022, 6, 13)),
    Problem("农村生活垃圾分类处置不规范", "区农业农村局", date(2022, 9, 30), ("textile", 1),
            ("完善村级垃圾收运体系", "开展垃圾分类专项督查", "建立月度暗访通报制度"),
            claim=date(2022, 8, 15)),
    Problem("饮用水源保护区内违章建筑未拆除", "区水利局", date(2022, 10, 31), ("sand_gravel", 1),
            ("拆除保护区内违章建筑", "设置隔离防护设施", "开展生态修复"),
            claim=date(2022, 10, 17), key_case=True),
    Problem("绿能环保发电项目渗滤液处理能力不足", "区住房和城乡建设局", date(2023, 12, 31),
            ("waste_to_energy_plant", 2),
            ("扩建渗滤液处理站", "应急外运处置渗滤液", "安装在线监测设备", "完成竣工验收"),
            measures_done=3, key_case=True),
    Problem("入海排污口排查整治滞后", "区生态环境分局", date(2024, 6, 30),
            ("pharma_chemical", 1),
            ("完成入海排污口排查", "制定一口一策整治方案", "完成整治销号", "建立长效监管"),
            measures_done=2),
    Problem("工业园区污水处理厂提标改造滞后", "区住房和城乡建设局", date(2023, 6, 30),
            ("eyewear", 1), ("完成提标改造设计", "完成主体工程建设", "完成调试运行", "通过验收"),
            measures_done=3),
)


def reference(number: int) -> str:
    """The case reference of the n-th feedback problem (1-based)."""
    return f"DC2-2021-{number:02d}"


def _site_ids(world: World, used: set[int], what: str, count: int) -> list[int]:
    fitting = [s for s in world.sites.values()
               if (s.industry == what or s.kind == what) and s.id not in used]
    if len(fitting) < count:
        raise ScenarioError(f"demo scenario: needs {count} more {what} sites, found "
                            f"{len(fitting)}")
    chosen = [s.id for s in fitting[:count]]
    used.update(chosen)
    return chosen


def _open(world: World, sites: list[list[int]]) -> None:
    with world.tx() as conn:
        for number, p in enumerate(PROBLEMS, start=1):
            create_case(
                conn, actor=LEADER, clock=world.clock, source="inspection_feedback",
                inspection=SECOND_ROUND, reference=reference(number), title=p.title,
                description=f"第二轮中央生态环境保护督察反馈问题：{p.title}。",
                responsible_unit=p.unit, deadline=p.deadline, target=f"{p.title}问题整改到位",
                measures=p.measures, site_ids=sites[number - 1],
                leader=DEPUTY_MAYORS[number % len(DEPUTY_MAYORS)], key_case=p.key_case,
                lookback_agency=AGENCY)


def plan(world: World) -> None:
    """Open the 12 problems on the feedback day and walk each as far as it got."""
    used: set[int] = world.notes.setdefault("feedback_sites", set())  # type: ignore[assignment]
    sites = [_site_ids(world, used, *p.sites) for p in PROBLEMS]
    world.at(local(FEEDBACK_DAY, 15), lambda w: _open(w, sites))
    for number, p in enumerate(PROBLEMS, start=1):
        loop = Loop(start=STARTED, claim=p.claim, until=END, measures_done=p.measures_done)
        schedule(world, [reference(number)], len(p.measures), loop)
