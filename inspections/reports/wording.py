"""Figures as the bureau writes them (数字的写法): counts with their measure word (移送公安9起,
行政拘留2人), money in 万元 from 10,000 yuan up (842.5735万元), dates without zero padding
(2021年4月6日), rates to one decimal (66.7%, 100%) and Chinese numerals for headings
(一、 （一）). Every report writes its figures through here."""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

# Measure words (量词) the source report uses for each kind of thing counted.
ITEMS = "项"      # feedback problems, measures: 反馈问题12项
PIECES = "件"     # petitions, complaints, penalty decisions: 信访件54件, 行政处罚决定60件
INCIDENTS = "起"  # referrals, seizures, patrol findings: 移送公安9起
PERSONS = "人"    # detentions: 行政拘留2人
COPIES = "个"     # tickets: 督办交办单244个
ROUNDS = "轮"     # look-back rounds
BATCHES = "批次"  # petitions' batches: 24批次
TIMES = "次"      # meetings, instructions, leader-led checks: 先后42次召开会议

TEN_THOUSAND = Decimal(10_000)
WAN_PLACES = Decimal("0.0001")  # 万元 to four decimals: one yuan
YUAN_PLACES = Decimal("0.01")
DIGITS = "零一二三四五六七八九"


def count(n: int, unit: str) -> str:
    """A count with its measure word: count(9, INCIDENTS) == "9起"."""
    if isinstance(n, bool) or not isinstance(n, int) or n < 0:
        raise ValueError(f"count: {n!r} is not a whole number of 0 or more")
    return f"{n}{unit}"


def _plain(amount: Decimal) -> str:
    """A decimal without trailing zeros or exponent: 800.0000 -> "800", 2.5000 -> "2.5"."""
    text = f"{amount:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def money(yuan: Decimal | float | int) -> str:
    """An amount of yuan: in 万元 to four decimals (rounded half up, trailing zeros dropped)
    from 10,000 yuan up, as 842.5735万元 or 1万元; in 元 below, as 9999.5元."""
    if isinstance(yuan, bool) or not isinstance(yuan, Decimal | float | int):
        raise ValueError(f"money: {yuan!r} is not an amount of yuan")
    amount = Decimal(str(yuan)) if isinstance(yuan, float) else Decimal(yuan)
    if not amount.is_finite() or amount < 0:
        raise ValueError(f"money: {yuan!r} is not an amount of 0 yuan or more")
    if amount >= TEN_THOUSAND:
        wan = (amount / TEN_THOUSAND).quantize(WAN_PLACES, rounding=ROUND_HALF_UP)
        return f"{_plain(wan)}万元"
    return f"{_plain(amount.quantize(YUAN_PLACES, rounding=ROUND_HALF_UP))}元"


def day(d: date) -> str:
    """A date without zero padding: 2021年4月6日."""
    return f"{d.year}年{d.month}月{d.day}日"


def month(year: int, number: int | None = None) -> str:
    """A month (2022年6月) or, without one, a year (2022年)."""
    return f"{year}年{number}月" if number else f"{year}年"


def rate(value: float | None) -> str:
    """A rate (0 to 1) as a percentage to one decimal, a whole one without it: 0.6667 ->
    "66.7%", 1.0 -> "100%"; None (nothing to divide) -> "—"."""
    if value is None:
        return "—"
    pct = (Decimal(str(value)) * 100).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    return f"{_plain(pct)}%"


def chinese(n: int) -> str:
    """A number from 1 to 99 in Chinese numerals, as headings count: 1 -> 一, 10 -> 十,
    11 -> 十一, 20 -> 二十, 21 -> 二十一."""
    if isinstance(n, bool) or not isinstance(n, int) or not 1 <= n <= 99:
        raise ValueError(f"chinese: {n!r} is not a whole number from 1 to 99")
    tens, ones = divmod(n, 10)
    if tens == 0:
        return DIGITS[ones]
    head = "十" if tens == 1 else f"{DIGITS[tens]}十"
    return head + (DIGITS[ones] if ones else "")


def heading_label(level: int, n: int) -> str:
    """The number of a heading in the GB/T 9704 sequence: level 1 一、, level 2 （一）,
    level 3 1., level 4 （1）."""
    if isinstance(n, bool) or not isinstance(n, int) or n < 1:
        raise ValueError(f"heading_label: number {n!r} is not a whole number of 1 or more")
    if level == 1:
        return f"{chinese(n)}、"
    if level == 2:
        return f"（{chinese(n)}）"
    if level == 3:
        return f"{n}."
    if level == 4:
        return f"（{n}）"
    raise ValueError(f"heading_label: level {level!r} is not 1 to 4")
