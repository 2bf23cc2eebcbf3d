"""The Word reader: paragraphs and tables in body order, merged cells expanded, Word-style places."""

from __future__ import annotations

import io
import zipfile

import docx
import pytest
from docx.enum.text import WD_BREAK

from validator.errors import InputError
from validator.read import read_document
from validator.read.document import Document
from validator.read.docx import read_docx


def save(document) -> bytes:
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def report() -> bytes:
    d = docx.Document()
    d.add_heading("2023年某区政府信息公开工作年度报告", level=1)
    d.add_paragraph("\u3000\u3000本年度共收到申请21件，办结  20 件。")
    d.add_paragraph("")  # empty paragraphs are not counted
    p = d.add_paragraph("第一行")
    p.add_run().add_break(WD_BREAK.LINE)
    p.add_run("第二行 共 3 件")
    d.add_paragraph("二、主动公开政府信息情况")
    t = d.add_table(rows=4, cols=4)
    values = [
        ["信息内容", "", "", "现行有效件数"],
        ["", "0", "0", "11"],
        ["", "8", "26", "66"],
        ["合计", "8", "26", "77"],
    ]
    for r, row in enumerate(values):
        for c, value in enumerate(row):
            t.cell(r, c).text = value
    t.cell(0, 1).merge(t.cell(0, 2)).text = "本年数量"  # gridSpan = 2
    t.cell(1, 0).merge(t.cell(2, 0)).text = "规范性文件"  # vMerge over two rows
    d.add_paragraph("三、其他 1 项")
    return save(d)


@pytest.fixture(scope="module")
def doc() -> Document:
    return read_docx(report(), "report.docx")


def test_lines_one_per_paragraph_and_row(doc):
    assert doc.format == "docx"
    assert doc.lines == [
        "2023年某区政府信息公开工作年度报告",
        "本年度共收到申请21件，办结 20 件。",
        "第一行第二行 共 3 件",
        "二、主动公开政府信息情况",
        "信息内容\t本年数量\t\t现行有效件数",
        "规范性文件\t0\t0\t11",
        "\t8\t26\t66",
        "合计\t8\t26\t77",
        "三、其他 1 项",
    ]


def test_paragraph_blocks_and_where(doc):
    assert [(b.text, b.line, b.where) for b in doc.blocks] == [
        ("2023年某区政府信息公开工作年度报告", 1, "第1段"),
        ("本年度共收到申请21件，办结 20 件。", 2, "第2段"),
        ("第一行第二行 共 3 件", 3, "第3段"),
        ("二、主动公开政府信息情况", 4, "第4段"),
        ("三、其他 1 项", 9, "第5段"),
    ]
    block = doc.blocks[1]
    pos = block.locate(block.text.index("20 件"))
    assert doc.lines[pos.line - 1][pos.column - 1 :] == "20 件。"


def test_table_grid_with_merged_cells(doc):
    assert len(doc.tables) == 1
    table = doc.tables[0]
    assert (table.line, table.caption, table.width) == (5, "二、主动公开政府信息情况", 4)
    assert [[c.text for c in row] for row in table.rows] == [
        ["信息内容", "本年数量", "本年数量", "现行有效件数"],
        ["规范性文件", "0", "0", "11"],
        ["规范性文件", "8", "26", "66"],
        ["合计", "8", "26", "77"],
    ]
    assert [[c.spanned for c in row] for row in table.rows] == [
        [False, False, True, False],
        [False, False, False, False],
        [True, False, False, False],
        [False, False, False, False],
    ]


def test_cell_positions_and_where(doc):
    table = doc.tables[0]
    wide, copy = table.rows[0][1], table.rows[0][2]
    assert (wide.line, wide.column, wide.where) == (5, 6, "表格1 第1行 第2列")
    assert (copy.line, copy.column, copy.where) == (5, 6, "表格1 第1行 第2列")
    tall, below = table.rows[1][0], table.rows[2][0]
    assert (tall.line, tall.column, tall.where) == (6, 1, "表格1 第2行 第1列")
    assert (below.line, below.column, below.where) == (6, 1, "表格1 第2行 第1列")
    cell = table.rows[2][2]
    assert (cell.text, cell.line, cell.column, cell.where) == ("26", 7, 4, "表格1 第3行 第3列")
    for row in table.rows:
        for c in row:
            assert doc.lines[c.line - 1][c.column - 1 :].startswith(c.text)


def test_read_document_picks_the_docx_reader(tmp_path):
    path = tmp_path / "report.docx"
    path.write_bytes(report())
    doc = read_document(path)
    assert (doc.format, doc.path, len(doc.tables), len(doc.blocks)) == ("docx", str(path), 1, 5)


def test_layout_table_is_read_as_narrative():
    d = docx.Document()
    d.add_paragraph("前言")
    frame = d.add_table(rows=1, cols=2)
    frame.cell(0, 0).text = "目录"
    body = frame.cell(0, 1)
    body.paragraphs[0].text = "一、总体情况"
    body.add_paragraph("全年受理申请 5 件。")
    inner = body.add_table(rows=2, cols=2)
    for r, row in enumerate([["规章", "0"], ["规范性文件", "5"]]):
        for c, value in enumerate(row):
            inner.cell(r, c).text = value
    body.add_paragraph("二、结尾")
    doc = read_docx(save(d), "layout.docx")
    assert [b.text for b in doc.blocks] == ["前言", "目录", "一、总体情况", "全年受理申请 5 件。", "二、结尾"]
    assert [b.where for b in doc.blocks] == ["第1段", "第2段", "第3段", "第4段", "第5段"]
    assert len(doc.tables) == 1
    assert [[c.text for c in row] for row in doc.tables[0].rows] == [["规章", "0"], ["规范性文件", "5"]]
    assert doc.tables[0].caption == "全年受理申请 5 件。"
    assert doc.tables[0].rows[1][1].where == "表格1 第2行 第2列"


def test_latin_line_break_becomes_a_space():
    d = docx.Document()
    p = d.add_paragraph("Total")
    p.add_run().add_break(WD_BREAK.LINE)
    p.add_run("12")
    assert read_docx(save(d), "a.docx").blocks[0].text == "Total 12"


# --- files that are not usable -----------------------------------------------------------


def zipped(files: dict[str, str]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        for name, content in files.items():
            z.writestr(name, content)
    return out.getvalue()


@pytest.mark.parametrize(
    ("data", "problem"),
    [
        (b"PK\x03\x04 not really a zip", "is not a valid Word .docx file (not a zip archive)"),
        (zipped({"notes.txt": "x"}), "is not a valid Word .docx file (word/document.xml is missing)"),
        (zipped({"xl/workbook.xml": "<x/>"}), "is an Excel workbook, not a Word .docx file"),
        (
            zipped({"word/document.xml": "<w:document/>"}),
            "is not a valid Word .docx file (There is no item named '[Content_Types].xml' in the archive)",
        ),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(512), "is an old binary Word .doc file, not .docx; save it as .docx first"),
        (save(docx.Document()), "is empty (the document has no text)"),
    ],
    ids=["not-zip", "no-document-xml", "excel", "no-content-types", "old-doc", "empty"],
)
def test_unusable_files(data, problem):
    with pytest.raises(InputError) as info:
        read_docx(data, "bad.docx")
    assert info.value.problem == problem
    assert str(info.value) == f"bad.docx: {problem}"
