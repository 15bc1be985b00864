"""`lookback export ... --format xlsx` and `lookback import ledger FILE.xlsx --as NAME`, on
both backends: the ledgers written as the pages write them, a round trip through the command
line recorded in the audit log under the account named, a bad cell named by sheet, row and
column with nothing imported; CSV stays as it was."""

from __future__ import annotations

from io import BytesIO
from pathlib import Path

from openpyxl import load_workbook

from tests.web.cli import json_lines, run
from tests.web.ledger_files import edit, query, row_number, rows_of

NOW = "2022-12-20T10:00:00+08:00"


def _run(url: str, tmp_path: Path, *args: str):  # noqa: ANN202
    return run(url, *args, LOOKBACK_NOW=NOW, LOOKBACK_DATA_DIR=str(tmp_path / "data"),
               LOOKBACK_LANGUAGE="zh")


def test_export_edit_import_through_the_command_line(scenario_url: str,
                                                     tmp_path: Path) -> None:
    out = tmp_path / "台账.xlsx"
    done = _run(scenario_url, tmp_path, "export", "cases", "measures", "--format", "xlsx",
                "--out", str(out))
    assert done.exit_code == 0, done.output
    book = load_workbook(out)
    assert book.sheetnames == ["案件", "整改措施"]
    assert book["案件"].freeze_panes == "A2"
    data = out.read_bytes()
    [(reference,)] = query(scenario_url, "SELECT reference FROM cases WHERE state IN "
                                           "('open', 'rectifying') ORDER BY reference LIMIT 1")
    row = row_number(data, "案件", 案件编号=reference)
    edited = tmp_path / "改.xlsx"
    edited.write_bytes(edit(data, "案件", row, {"整改目标": "渗滤液达标排放（命令行）"}))
    imported = _run(scenario_url, tmp_path, "import", "ledger", str(edited), "--as", "leader")
    assert imported.exit_code == 0, imported.output
    assert "已导入" in imported.stdout and "案件 新建 0 条" in imported.stdout
    assert query(scenario_url, "SELECT target FROM cases WHERE reference = :r",
                 r=reference)[0][0] == "渗滤液达标排放（命令行）"
    assert query(scenario_url, "SELECT actor FROM audit_log WHERE action = 'case.edit'"
                 )[0][0] == "leader"


def test_a_bad_cell_is_named_and_nothing_is_imported(scenario_url: str,
                                                     tmp_path: Path) -> None:
    out = tmp_path / "案件.xlsx"
    assert _run(scenario_url, tmp_path, "export", "cases", "--format", "xlsx",
                "--out", str(out)).exit_code == 0
    data = edit(out.read_bytes(), "案件", 2, {"问题名称": "不应保存"})
    data = edit(data, "案件", 4, {"整改时限": "2023-02-30"})
    bad = tmp_path / "有误.xlsx"
    bad.write_bytes(data)
    entries = query(scenario_url, "SELECT count(*) FROM audit_log")[0][0]
    refused = _run(scenario_url, tmp_path, "import", "ledger", str(bad), "--as", "leader")
    assert refused.exit_code == 1
    assert "未导入任何记录" in refused.output
    assert "工作表「案件」第 4 行「整改时限」：「2023-02-30」不是日期" in refused.output
    assert query(scenario_url, "SELECT count(*) FROM audit_log")[0][0] == entries
    as_json = _run(scenario_url, tmp_path, "import", "ledger", str(bad), "--as", "leader",
                   "--json")
    assert as_json.exit_code == 1
    [answer] = json_lines(as_json.stdout)
    assert any("第 4 行「整改时限」" in line for line in answer["problems"])
    nobody = _run(scenario_url, tmp_path, "import", "ledger", str(bad), "--as", "nobody")
    assert nobody.exit_code == 1 and "nobody" in nobody.output
    unit = _run(scenario_url, tmp_path, "import", "ledger", str(bad), "--as", "unit")
    assert unit.exit_code == 1 and "您的角色不能导入此台账" in unit.output


def test_xlsx_takes_only_ledgers_and_filters_by_state_while_csv_is_unchanged(
        scenario_url: str, tmp_path: Path) -> None:
    out = tmp_path / "closed.xlsx"
    done = _run(scenario_url, tmp_path, "export", "cases", "lookback_rounds", "--state",
                "closed", "--format", "xlsx", "--out", str(out))
    assert done.exit_code == 0, done.output
    cases = rows_of(out.read_bytes(), "案件")
    assert cases and {c["状态"] for c in cases} == {"已销号"}
    assert rows_of(out.read_bytes(), "回头看") == []  # no round is 'closed'
    wrong = _run(scenario_url, tmp_path, "export", "sites", "--format", "xlsx", "--out",
                 str(tmp_path / "x.xlsx"))
    assert wrong.exit_code == 1 and "sites" in wrong.output
    csv = tmp_path / "cases.csv"
    assert _run(scenario_url, tmp_path, "export", "cases", "--format", "csv", "--out",
                str(csv)).exit_code == 0
    assert csv.read_text(encoding="utf-8-sig").splitlines()[0].startswith("问题编号,问题来源")
    book = load_workbook(BytesIO(out.read_bytes()))
    assert [c.value for c in book["回头看"][1]][:2] == ["案件编号", "轮次"]
