"""Fills and alters jixiao's official forms with openpyxl, as another program would.

Usage:
  openpyxl_forms.py fill OUT.xlsx            a new workbook written cell by cell
  openpyxl_forms.py alter IN.xlsx OUT.xlsx CASE
      CASE: bad-actual | hidden-sheet | ledger-mismatch | typed-score
  openpyxl_forms.py read IN.xlsx             read every cell in read-only mode (the benchmark peer)

Used by crates/cli/tests/forms.rs and bench/forms.sh.
"""
import datetime
import sys

import openpyxl


def fill(out):
    wb = openpyxl.Workbook()
    d = wb.active
    d.title = "绩效目标申报表"
    d["A1"] = "项目支出绩效目标申报表"
    d["A3"], d["B3"], d["F3"], d["G3"] = "项目名称", "残疾人职业技能培训", "项目编码", "53010023001"
    d["A4"], d["B4"], d["F4"], d["G4"] = "年度", 2023, "项目属性", "延续"
    d["A5"], d["B5"], d["F5"], d["G5"] = "主管部门", "某市残疾人联合会", "实施单位", "某市残疾人就业服务中心"
    d["A6"], d["F6"], d["G6"] = "项目类别", "主管处室", "就业处"
    d["A7"], d["B7"], d["F7"], d["G7"] = "项目负责人", "张三", "资金拨付流程", "经办人→部门负责人→财务负责人→单位负责人→出纳"
    d["A8"], d["B8"], d["F8"], d["G8"] = "计划开始日期", datetime.date(2023, 1, 1), "计划完成日期", "2023-12-31"
    d["A9"], d["B9"], d["F9"], d["G9"] = "年初预算数（万元）", 50, "预算批复文号", "某财社〔2023〕5号"
    d["A10"], d["B10"] = "总体目标", "提升残疾人就业技能。"
    d["A11"], d["B11"] = "年度目标", "全年培训残疾人400人次以上。"
    d["A13"] = "绩效指标"
    for col, h in zip("ABCDEFGHIJK", ["编号", "一级指标", "二级指标", "三级指标", "指标性质", "指标值", "度量单位", "指标方向", "权重", "指标解释", "设定依据"]):
        d[f"{col}14"] = h
    rows = [
        [1, "产出", "数量", "培训人次", "≥", 400, "人次", None, None, None, "计划标准"],
        # The comparator and unit typed into the value cell, as people do.
        [2, "产出指标", "质量指标", "培训合格率", None, "≥95%", None, None, None, None, None],
        [3, "满意度", "服务对象满意度", "培训满意度", "≥", 90, "%", None, None, None, None],
    ]
    for r, values in enumerate(rows, start=15):
        for col, v in zip("ABCDEFGHIJK", values):
            if v is not None:
                d[f"{col}{r}"] = v
    d["A19"] = "立项依据"
    d["A20"], d["B20"], d["G20"], d["I20"] = "序号", "文件名称", "文号", "发文单位"
    d["A21"], d["B21"], d["G21"], d["I21"] = 1, "中华人民共和国残疾人就业条例", None, "国务院"

    s = wb.create_sheet("项目支出绩效自评表")
    s["A1"] = "项目支出绩效自评表"
    s["A3"], s["B3"] = "项目名称", "残疾人职业技能培训"
    s["A5"] = "项目资金（万元）"
    for col, h in zip("EFGHIJK", ["年初预算数", "全年预算数", "到位数", "全年执行数", "分值", "执行率", "得分"]):
        s[f"{col}5"] = h
    s["A6"], s["E6"], s["F6"], s["G6"], s["H6"] = "年度资金总额", 50, 52, 52, 45.5
    s["A7"], s["G7"] = "其中：当年财政拨款", 50
    s["A8"], s["G8"] = "上年结转资金", 2
    s["A9"] = "其他资金"
    s["A10"], s["B10"], s["H10"] = "年度总体目标", "预期目标", "实际完成情况"
    s["B11"], s["H11"] = "全年培训残疾人400人次以上。", "培训420人次。"
    for col, h in zip("ABCDEFGHIJKLM", ["编号", "一级指标", "二级指标", "三级指标", "指标性质", "指标值", "度量单位", "实际完成值", "分值", "得分", "偏差原因", "改进措施", "佐证材料"]):
        s[f"{col}12"] = h
    s["A13"], s["D13"], s["H13"], s["M13"] = 1, "培训人次", 420, "培训签到表；结业名册"
    s["A14"], s["D14"], s["H14"] = 2, "培训合格率", "96%"
    s["A15"], s["D15"], s["H15"], s["K15"] = 3, "培训满意度", "180/200", "问卷回收率偏低"

    l = wb.create_sheet("支出明细")
    l["A1"] = "支出明细"
    for col, h in zip("ABCDEFGHI", ["序号", "日期", "用途", "金额（元）", "收款单位", "功能分类科目", "经济分类科目", "对应指标", "备注"]):
        l[f"{col}3"] = h
    l["A4"], l["B4"], l["C4"], l["D4"], l["E4"], l["H4"] = 1, datetime.datetime(2023, 3, 15), "培训场地及师资费", 300000.5, "某职业技能培训学校", "1"
    l["A5"], l["B5"], l["C5"], l["D5"] = 2, datetime.date(2023, 9, 1), "学员交通及食宿补助", 154999.5
    wb.save(out)


def alter(src, out, case):
    wb = openpyxl.load_workbook(src)
    if case == "bad-actual":
        s = wb["项目支出绩效自评表"]
        s["H15"] = "约五十"
    elif case == "hidden-sheet":
        wb["项目支出绩效自评表"].sheet_state = "hidden"
    elif case == "ledger-mismatch":
        wb["支出明细"]["D4"] = 413500
    elif case == "typed-score":
        # A score typed over the computed one in the self-evaluation form (T01's 得分).
        wb["项目支出绩效自评表"]["J13"] = 1.5
    else:
        raise SystemExit(f"unknown case {case}")
    wb.save(out)


def read(src):
    wb = openpyxl.load_workbook(src, read_only=True, data_only=True)
    cells = 0
    for ws in wb.worksheets:
        for row in ws.iter_rows(values_only=True):
            cells += sum(1 for v in row if v is not None)
    print(cells)


if __name__ == "__main__":
    cmd = sys.argv[1]
    if cmd == "fill":
        fill(sys.argv[2])
    elif cmd == "alter":
        alter(sys.argv[2], sys.argv[3], sys.argv[4])
    elif cmd == "read":
        read(sys.argv[2])
    else:
        raise SystemExit(__doc__)
