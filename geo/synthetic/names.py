"""Deterministic Chinese names for towns, companies, landfills and plants (made up)."""

from __future__ import annotations

import itertools

import numpy as np

BASE_TOWNS = [
    *("海门街道", "白云街道", "前所街道", "章安街道"),
    *("东山镇", "桐屿街道", "岩头镇", "松浦镇"),
]
TOWN_FIRST = "云松石岩桃梅竹溪清凤龙金银青黄红杨柳桐杉栖汇滨湖浦岭峰洋塘蓬"
TOWN_SECOND = "门山岙溪浦桥港湾头田洋塘岭坑口峰湖川林沙屿垟岗"
SHOP_NAME = "鑫华永宏泰金盛达恒兴瑞丰海天东宇正信新博源康利通"
VILLAGE_FIRST = "前后上下东西南北大小石沙高新黄横"
VILLAGE_SECOND = "岙山坑湾岭塘头岗桥垟洋浦"
INDUSTRY_WORDS = {
    "医化": ["医化", "药业", "化工"],
    "印染": ["印染"],
    "眼镜": ["眼镜", "光学眼镜"],
    "纺织": ["纺织", "织造"],
    "船舶修造": ["船舶修造", "船业"],
    "砂石": ["砂石", "建材"],
}
PHASES = "一二三四"


def short_town(name: str) -> str:
    """The town name without its 街道/镇 suffix (海门街道 -> 海门)."""
    return name.removesuffix("街道").removesuffix("镇")


def town_names(n: int, rng: np.random.Generator) -> list[str]:
    """`n` distinct town names: the classic ones first, then made-up syllable pairs."""
    names = list(BASE_TOWNS[:n])
    used = {short_town(name) for name in names}
    pairs = [a + b for a, b in itertools.product(TOWN_FIRST, TOWN_SECOND) if a != b]
    for i in rng.permutation(len(pairs)):
        if len(names) == n:
            break
        if (short := pairs[i]) not in used:
            used.add(short)
            names.append(short + ("街道" if i % 3 == 0 else "镇"))
    if len(names) < n:
        raise ValueError(f"n: at most {len(names)} distinct town names, asked for {n}")
    return names


def _pick(rng: np.random.Generator, chars: str, k: int) -> list[str]:
    return [chars[i] for i in rng.integers(0, len(chars), k)]


def company_names(towns: list[str], industries: list[str], rng: np.random.Generator) -> list[str]:
    """Names like 台州市海门鑫达医化有限公司 (duplicates are possible)."""
    first, second = _pick(rng, SHOP_NAME, len(towns)), _pick(rng, SHOP_NAME, len(towns))
    word_picks = rng.integers(0, 3, len(towns))
    names = []
    for town, industry, a, b, w in zip(towns, industries, first, second, word_picks, strict=True):
        words = INDUSTRY_WORDS[industry]
        names.append(f"台州市{short_town(town)}{a}{b}{words[w % len(words)]}有限公司")
    return names


def landfill_names(towns: list[str], rng: np.random.Generator) -> list[str]:
    """Names like 东山镇前岙垃圾填埋场."""
    first = _pick(rng, VILLAGE_FIRST, len(towns))
    second = _pick(rng, VILLAGE_SECOND, len(towns))
    return [f"{t}{a}{b}垃圾填埋场" for t, a, b in zip(towns, first, second, strict=True)]


def plant_names(towns: list[str]) -> list[str]:
    """Names like 台州绿能环保发电项目一期; later groups of four are named after their town."""
    names = []
    for i, town in enumerate(towns):
        place = "台州" if i < len(PHASES) else short_town(town)
        names.append(f"{place}绿能环保发电项目{PHASES[i % len(PHASES)]}期")
    return names
