#!/usr/bin/env python3
"""Peer benchmark: the same self-evaluation report written with python-docx, as an analyst
would script it: the text and tables from the report's data (`jixiao report --format json`),
the charts drawn at run time with matplotlib, the same page set-up and fonts.

    python3 bench/peer/report_docx.py report.json out.docx

Compare with hyperfine against `jixiao report PROJECT.toml --out out.docx` (see
CONTRIBUTING.md). Needs `pip install python-docx matplotlib`.
"""
import io
import json
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from docx import Document  # noqa: E402
from docx.enum.section import WD_ORIENT  # noqa: E402
from docx.enum.text import WD_ALIGN_PARAGRAPH  # noqa: E402
from docx.oxml.ns import qn  # noqa: E402
from docx.shared import Mm, Pt  # noqa: E402

BODY, TITLE, H1, H2 = "仿宋_GB2312", "方正小标宋简体", "黑体", "楷体_GB2312"


def font(run, name, size, bold=False):
    run.font.name = name
    run.font.size = Pt(size)
    run.font.bold = bold
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), name)


def chart_png(chart):
    labels = [b[0] for b in chart["bars"]][::-1]
    values = [b[1] / 100 for b in chart["bars"]][::-1]
    plt.rcParams["font.sans-serif"] = ["Noto Sans CJK SC", "WenQuanYi Zen Hei", "DejaVu Sans"]
    fig, ax = plt.subplots(figsize=(7.2, 0.3 * len(labels) + 0.8), dpi=150)
    ax.barh(labels, values, color="#2f5597")
    for y, v in enumerate(values):
        ax.text(v + 1, y, f"{v:.2f}%", va="center", fontsize=8)
    if chart.get("reference"):
        ax.axvline(chart["reference"] / 100, color="#c00000", linestyle="--")
    ax.set_xlabel(chart["axis"])
    fig.tight_layout()
    buf = io.BytesIO()
    fig.savefig(buf, format="png")
    plt.close(fig)
    buf.seek(0)
    return buf


def table(doc, t):
    doc.add_paragraph(t["caption"]).alignment = WD_ALIGN_PARAGRAPH.CENTER
    rows = t["head"] + t["body"]
    cols = max(sum(c["span"] for c in r) for r in rows)
    tbl = doc.add_table(rows=len(rows), cols=cols)
    tbl.style = "Table Grid"
    starts = {}
    for ri, r in enumerate(rows):
        ci = 0
        for c in r:
            cell = tbl.cell(ri, ci)
            if c["span"] > 1:
                cell = cell.merge(tbl.cell(ri, ci + c["span"] - 1))
            if c["merge"] == "start":
                starts[ci] = ri
            elif c["merge"] == "continue" and ci in starts:
                tbl.cell(starts[ci], ci).merge(cell)
            else:
                p = cell.paragraphs[0]
                font(p.add_run(c["text"]), BODY, 12, bold=ri < len(t["head"]))
            ci += c["span"]


def main(src, out):
    model = json.load(open(src, encoding="utf-8"))
    doc = Document()
    sec = doc.sections[0]
    sec.page_width, sec.page_height = Mm(210), Mm(297)
    sec.top_margin, sec.bottom_margin = Mm(37), Mm(35)
    sec.left_margin, sec.right_margin = Mm(28), Mm(26)
    for block in model["blocks"]:
        kind, value = block["kind"], block.get("value")
        if kind == "title":
            p = doc.add_paragraph()
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
            font(p.add_run(value), TITLE, 22)
        elif kind == "heading":
            p = doc.add_paragraph()
            name = {1: H1, 2: H2}.get(value["level"], BODY)
            font(p.add_run(value["text"]), name, 16, bold=value["level"] == 3)
        elif kind == "para":
            p = doc.add_paragraph()
            p.paragraph_format.first_line_indent = Pt(32)
            font(p.add_run(value), BODY, 16)
        elif kind == "plain":
            p = doc.add_paragraph()
            p.alignment = {"center": WD_ALIGN_PARAGRAPH.CENTER, "right": WD_ALIGN_PARAGRAPH.RIGHT}.get(
                value["align"], WD_ALIGN_PARAGRAPH.LEFT
            )
            font(p.add_run(value["text"]), BODY, 16)
        elif kind == "table":
            table(doc, value)
        elif kind == "chart":
            doc.add_picture(chart_png(value), width=Mm(156))
            doc.add_paragraph(value["title"]).alignment = WD_ALIGN_PARAGRAPH.CENTER
        elif kind == "page_break":
            doc.add_page_break()
        elif kind == "landscape":
            new = doc.add_section()
            new.orientation = WD_ORIENT.LANDSCAPE
            new.page_width, new.page_height = Mm(297), Mm(210)
    doc.save(out)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
