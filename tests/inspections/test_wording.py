"""Figures as the bureau writes them (inspections.reports.wording): 起 and 人 after counts,
万元 to four decimals from 10,000 yuan, dates without zero padding, rates to one decimal and
Chinese numerals for headings; each with its edge cases and refusals."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from inspections.reports import wording as w


@pytest.mark.parametrize(("n", "unit", "expected"), [
    (9, w.INCIDENTS, "9起"), (2, w.PERSONS, "2人"), (1, w.PERSONS, "1人"),
    (0, w.PERSONS, "0人"), (60, w.PIECES, "60件"), (244, w.COPIES, "244个"),
    (12, w.ITEMS, "12项"), (24, w.BATCHES, "24批次"), (3, w.ROUNDS, "3轮"),
    (42, w.TIMES, "42次"),
])
def test_counts_carry_their_measure_word(n: int, unit: str, expected: str) -> None:
    assert w.count(n, unit) == expected


@pytest.mark.parametrize("bad", [-1, 1.5, True, "3", None])
def test_a_count_must_be_a_whole_number(bad: object) -> None:
    with pytest.raises(ValueError, match="is not a whole number of 0 or more"):
        w.count(bad, w.PERSONS)  # type: ignore[arg-type]


@pytest.mark.parametrize(("yuan", "expected"), [
    (Decimal("8425735"), "842.5735万元"),       # the source's fines
    (8425735.0, "842.5735万元"),                # as stats gives them (a float)
    (Decimal("10000"), "1万元"),                # exactly 10,000: the first 万元
    (Decimal("9999.99"), "9999.99元"),          # just below: yuan
    (Decimal("9999.50"), "9999.5元"),
    (Decimal("0"), "0元"),
    (0.0, "0元"),
    (Decimal("8000000.00"), "800万元"),         # no trailing zeros
    (Decimal("25734.50"), "2.5735万元"),        # 2.57345 rounds half up
    (Decimal("25734.49"), "2.5734万元"),
    (Decimal("99999999.99"), "10000万元"),      # rounding carries over
    (Decimal("12000.10"), "1.2万元"),
    (1000, "1000元"),
])
def test_money_in_wan_from_ten_thousand(yuan: object, expected: str) -> None:
    assert w.money(yuan) == expected  # type: ignore[arg-type]


@pytest.mark.parametrize("bad", [Decimal("-1"), -0.01, Decimal("NaN"), float("inf"), "100",
                                 None, True])
def test_money_refuses_what_is_not_an_amount(bad: object) -> None:
    with pytest.raises(ValueError, match="money: "):
        w.money(bad)  # type: ignore[arg-type]


@pytest.mark.parametrize(("d", "expected"), [
    (date(2021, 4, 6), "2021年4月6日"), (date(2021, 4, 12), "2021年4月12日"),
    (date(2022, 10, 1), "2022年10月1日"), (date(2022, 12, 31), "2022年12月31日"),
])
def test_dates_have_no_zero_padding(d: date, expected: str) -> None:
    assert w.day(d) == expected


def test_a_period_is_a_month_or_a_year() -> None:
    assert w.month(2022, 6) == "2022年6月"
    assert w.month(2022, None) == "2022年"


@pytest.mark.parametrize(("value", "expected"), [
    (1.0, "100%"), (0.75, "75%"), (0.6667, "66.7%"), (0.3333, "33.3%"), (0.0, "0%"),
    (0.99949, "99.9%"), (0.99951, "100%"), (None, "—"),
])
def test_rates_to_one_decimal(value: float | None, expected: str) -> None:
    assert w.rate(value) == expected


@pytest.mark.parametrize(("n", "expected"), [
    (1, "一"), (6, "六"), (10, "十"), (11, "十一"), (19, "十九"), (20, "二十"),
    (21, "二十一"), (99, "九十九"),
])
def test_chinese_numerals(n: int, expected: str) -> None:
    assert w.chinese(n) == expected


@pytest.mark.parametrize("bad", [0, 100, -3, True, 2.0])
def test_chinese_numerals_are_from_one_to_ninety_nine(bad: object) -> None:
    with pytest.raises(ValueError, match="not a whole number from 1 to 99"):
        w.chinese(bad)  # type: ignore[arg-type]


@pytest.mark.parametrize(("level", "n", "expected"), [
    (1, 1, "一、"), (1, 3, "三、"), (1, 12, "十二、"), (2, 1, "（一）"), (2, 6, "（六）"),
    (2, 11, "（十一）"), (3, 1, "1."), (3, 150, "150."), (4, 2, "（2）"),
])
def test_heading_labels_follow_the_standard(level: int, n: int, expected: str) -> None:
    assert w.heading_label(level, n) == expected


def test_heading_labels_refuse_a_level_or_number_out_of_range() -> None:
    with pytest.raises(ValueError, match="level 5 is not 1 to 4"):
        w.heading_label(5, 1)
    with pytest.raises(ValueError, match="number 0 is not a whole number of 1 or more"):
        w.heading_label(1, 0)
