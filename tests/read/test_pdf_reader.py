"""The PDF reader: ruled tables as grids (merged cells, tables over page breaks), narrative, errors."""

from __future__ import annotations

from itertools import pairwise

import pytest

from validator.errors import InputError
from validator.read import read_document
from validator.read.document import Document, Table
from validator.read.pdf import read_pdf


def grid(table: Table) -> list[list[str]]:
    return [[c.text for c in row] for row in table.rows]


def find_table(doc: Document, label: str) -> Table:
    return next(t for t in doc.tables if any(c.text == label for row in t.rows for c in row))


def find_row(table: Table, label: str) -> list:
    return next(row for row in table.rows if any(c.text == label and not c.spanned for c in row))


def check_positions(doc: Document) -> None:
    """Every cell and block character is found at its line and column of ``doc.lines``."""
    for table in doc.tables:
        for row in table.rows:
            for cell in row:
                if cell.text:
                    assert doc.lines[cell.line - 1][cell.column - 1 :].startswith(cell.text), cell
    for block in doc.blocks:
        for i, ch in enumerate(block.text):
            pos = block.locate(i)
            line = doc.lines[pos.line - 1]
            if pos.column - 1 < len(line):
                assert line[pos.column - 1] == ch, (block.text, i)
            else:
                assert ch == " "  # a space put between two joined lines


@pytest.fixture(scope="module")
def hongzequ(corpus) -> Document:
    return read_document(corpus / "2023_hongzequ.pdf")


@pytest.fixture(scope="module")
def huaian(corpus) -> Document:
    return read_document(corpus / "2024_huaianshi.pdf")


# --- 2023 洪泽区 ---------------------------------------------------------------------------


def test_hongzequ_finds_the_three_statistics_tables(hongzequ):
    assert hongzequ.format == "pdf"
    assert [(len(t.rows), t.width, t.page) for t in hongzequ.tables] == [(14, 4, 2), (26, 10, 3), (4, 15, 4)]
    assert [t.caption for t in hongzequ.tables] == [
        "二、主动公开政府信息情况",
        "三、收到和处理政府信息公开申请情况",
        "四、政府信息公开行政复议、行政诉讼情况",
    ]


def test_hongzequ_review_table_as_printed(hongzequ):
    table = find_table(hongzequ, "行政复议")
    assert grid(table)[1][:5] == ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]  # wrapped headers joined
    values = table.rows[3]
    assert [c.text for c in values] == ["10", "1", "0", "0", "0", "0", "0", "0", "0", "0", "5", "0", "0", "0", "0"]
    assert {c.page for c in values} == {4}
    assert [c.spanned for c in table.rows[2][:5]] == [True] * 5  # the headers span two rows
    assert table.rows[0][5].text == "行政诉讼"


def test_hongzequ_application_table(hongzequ):
    table = find_table(hongzequ, "一、本年新收政府信息公开申请数量")
    assert table is hongzequ.tables[1]
    assert grid(table)[3] == ["一、本年新收政府信息公开申请数量"] * 3 + ["21", "0", "0", "0", "0", "0", "21"]
    assert [c.spanned for c in table.rows[3][:4]] == [False, True, True, False]
    assert grid(table)[2][4:9] == ["商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"]
    assert find_row(table, "2.其他法律行政止公开")[3].text == "0"  # the label's typo kept
    assert table.rows[5][0].text == "三、本年度办理结果"  # printed one character per line
    assert grid(table)[6][1] == "（二）部分公开（区分处理的，只计这一情形，不计其他情形）"


def test_hongzequ_table_continues_over_the_page_break(hongzequ):
    table = hongzequ.tables[1]
    row = find_row(table, "3.补正后申请内容仍不明确")
    assert [(c.text, c.page, c.spanned) for c in row[:4]] == [
        ("三、本年度办理结果", 3, True),
        ("（四）无法提供", 3, True),
        ("3.补正后申请内容仍不明确", 4, False),
        ("0", 4, False),
    ]
    total = find_row(table, "（七）总计")
    assert [c.text for c in total[3:]] == ["21", "0", "0", "0", "0", "0", "21"]
    assert grid(table)[-1][:4] == ["四、结转下年度继续办理"] * 3 + ["0"]
    assert table.rows[-1][0].page == 4


def test_hongzequ_disclosure_table_joined_from_two_pages(hongzequ):
    table = hongzequ.tables[0]
    assert grid(table)[1] == ["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"]
    fee = find_row(table, "行政事业性收费")
    assert (fee[1].text, fee[1].page, table.page) == ("7730.28", 3, 2)
    assert find_row(table, "行政许可")[1].page == 2
    assert find_row(table, "行政处罚")[1].text == "4119"


def test_hongzequ_lines_and_positions(hongzequ):
    check_positions(hongzequ)
    row = find_row(hongzequ.tables[1], "一、本年新收政府信息公开申请数量")
    assert hongzequ.lines[row[0].line - 1] == "一、本年新收政府信息公开申请数量\t\t\t21\t0\t0\t0\t0\t0\t21"
    assert (row[3].line, row[3].column) == (row[0].line, 20)
    table = hongzequ.tables[1]
    assert table.line == table.rows[0][0].line


def test_hongzequ_narrative_paragraphs(hongzequ):
    block = next(b for b in hongzequ.blocks if "全区受理政府信息公开申请 21 件" in b.text)
    assert block.text.startswith("（二）依申请公开情况。")
    assert block.text.endswith("均在法定期限答复。")
    pos = block.locate(block.text.index("21 件"))
    assert pos.page == 1
    assert hongzequ.lines[pos.line - 1][pos.column - 1 :].startswith("21 件，")
    # a paragraph running over the page break, the page number line between left out of it
    over = next(b for b in hongzequ.blocks if "“分级审核" in b.text)
    assert {a[3] for a in over.anchors} == {1, 2}
    assert over.text.endswith("未经审核的信息一律不准发布。")
    assert "- 1 -" in [b.text for b in hongzequ.blocks]
    headings = [b.text for b in hongzequ.blocks if b.text.startswith(("一、", "二、", "三、", "四、", "五、", "六、"))]
    assert headings == [
        "一、总体情况",
        "二、主动公开政府信息情况",
        "三、收到和处理政府信息公开申请情况",
        "四、政府信息公开行政复议、行政诉讼情况",
        "五、存在的主要问题及改进情况",
        "六、其他需要报告的事项",
    ]
    assert not any("本年新收政府信息公开申请数量" in b.text for b in hongzequ.blocks)


# --- 2024 淮安市 ---------------------------------------------------------------------------


def test_huaian_fee_with_decimals(huaian):
    fee = find_row(huaian.tables[0], "行政事业性收费")[1]
    assert (fee.text, fee.page, fee.spanned) == ("96171.6", 4, False)
    assert huaian.lines[fee.line - 1][fee.column - 1 :].startswith("96171.6")


def test_huaian_application_totals(huaian):
    table = huaian.tables[1]
    assert (len(table.rows), table.width, table.page) == (28, 10, 4)
    assert [c.text for c in find_row(table, "一、本年新收政府信息公开申请数量")[3:]] == [
        "3001", "53", "0", "0", "61", "4", "3119",
    ]
    assert find_row(table, "二、上年结转政府信息公开申请数量")[9].text == "34"
    total = find_row(table, "（七）总计")
    assert (total[9].text, total[9].page) == ("3050", 5)
    assert find_row(table, "四、结转下年度继续办理")[9].text == "103"


def test_huaian_wrapped_labels_are_joined(huaian):
    table = huaian.tables[1]
    row = find_row(table, "1、申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请")
    assert [c.text for c in row[3:]] == ["67", "3", "0", "0", "1", "0", "71"]
    assert grid(table)[2][4:8] == ["商业企业", "科研机构", "社会公益组织", "法律服务机构"]
    # "（四）无" at the foot of page 4, "法提供" at the top of page 5: one label over three rows
    rows = [find_row(table, label) for label in
            ("1.本机关不掌握相关政府信息", "2.没有现成信息需要另行制作", "3.补正后申请内容仍不明确")]
    assert [(r[1].text, r[1].page, r[1].spanned) for r in rows] == [
        ("（四）无法提供", 4, False), ("（四）无法提供", 4, True), ("（四）无法提供", 4, True),
    ]
    assert [r[2].page for r in rows] == [4, 5, 5]


def test_huaian_review_table(huaian):
    table = find_table(huaian, "行政复议")
    assert grid(table)[3] == ["72", "64", "178", "37", "351", "13", "4", "8", "1", "26", "12", "1", "1", "6", "20"]
    assert table.page == 5
    check_positions(huaian)


# --- tables built for the test: rules closed at page breaks, continuation rules -----------


def make_pdf(pages: list[str]) -> bytes:
    """A minimal PDF whose pages are the given content streams, with Helvetica as /F1."""
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>"]
    kids = " ".join(f"{4 + 2 * k} 0 R" for k in range(len(pages)))
    objects.append(f"<< /Type /Pages /Kids [{kids}] /Count {len(pages)} >>".encode())
    objects.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
    for k, content in enumerate(pages):
        stream = content.encode("latin-1")
        objects.append(
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 3 0 R >> >> "
            f"/Contents {5 + 2 * k} 0 R >>".encode()
        )
        objects.append(b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream")
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for i, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % off for off in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def text(x: float, y: float, s: str) -> str:
    return f"BT /F1 12 Tf {x} {y} Td ({s}) Tj ET\n"


def rule(x0: float, y0: float, x1: float, y1: float, gray: float = 0) -> str:
    return f"{gray} G 0.5 w {x0} {y0} m {x1} {y1} l S\n"


XS = (72, 200, 300, 400)


def ruled(rows: list[tuple[str, ...]], ys: list[float], top: float, bottom: float) -> str:
    """Horizontal rules at ``ys``, verticals from ``top`` to ``bottom``, one text row per band."""
    out = "".join(rule(XS[0], y, XS[-1], y) for y in ys)
    out += "".join(rule(x, top, x, bottom) for x in XS)
    bands = sorted({top, bottom, *ys}, reverse=True)
    for (hi, lo), row in zip(pairwise(bands), rows, strict=True):
        out += "".join(text(XS[k] + 3, (hi + lo) / 2 - 4, value) for k, value in enumerate(row) if value)
    return out


def test_table_cut_by_a_page_break_is_closed_and_joined():
    page1 = text(72, 780, "Annual report") + text(72, 300, "Table 1")
    page1 += ruled([("Item", "Made", "Kept"), ("Rules", "3", "11"), ("Notes", "5", "7")], [280, 250, 220], 280, 190)
    page1 += text(290, 40, "- 1 -")
    page2 = ruled([("Fees", "96171.6", "0"), ("Total", "8", "18")], [760, 730], 800, 730)
    page2 += text(72, 700, "Closing words.")
    doc = read_pdf(make_pdf([page1, page2]), "cut.pdf")
    assert len(doc.tables) == 1
    table = doc.tables[0]
    assert grid(table) == [["Item", "Made", "Kept"], ["Rules", "3", "11"], ["Notes", "5", "7"],
                           ["Fees", "96171.6", "0"], ["Total", "8", "18"]]
    assert [row[0].page for row in table.rows] == [1, 1, 1, 2, 2]
    assert (table.caption, table.line, table.page) == ("Table 1", 3, 1)
    assert doc.lines == ["Annual report", "Table 1", "Item\tMade\tKept", "Rules\t3\t11", "Notes\t5\t7",
                         "- 1 -", "Fees\t96171.6\t0", "Total\t8\t18", "Closing words."]
    assert [(b.text, b.anchors[0][3]) for b in doc.blocks] == [
        ("Annual report", 1), ("Table 1", 1), ("- 1 -", 1), ("Closing words.", 2),
    ]
    check_positions(doc)


def test_white_boxes_are_not_rules():
    page = text(72, 780, "Title") + text(72, 752, "Second line 12")
    # white boxes behind the text, two by two: pdfplumber alone would see a 2 x 2 table here
    page += "1 1 1 rg 70 770 180 25 re f 250 770 220 25 re f 70 745 180 25 re f 250 745 220 25 re f\n"
    page += "1 1 1 RG 70 700 400 20 re S\n" + rule(72, 600, 400, 600, gray=1)  # white strokes
    data = make_pdf([page])
    import io

    import pdfplumber

    with pdfplumber.open(io.BytesIO(data)) as pdf:
        assert len(pdf.pages[0].find_tables()) == 1
    doc = read_pdf(data, "boxes.pdf")
    assert doc.tables == []
    assert [b.text for b in doc.blocks] == ["Title", "Second line 12"]


def test_merged_label_and_split_row_continue_on_the_next_page():
    # page 1: "Group" spans its rows down to the foot of the page (no rule closes the table there),
    # and the last row's label wraps onto page 2
    page1 = rule(72, 400, 400, 400) + rule(72, 370, 400, 370) + rule(200, 340, 400, 340)
    page1 += "".join(rule(x, 400, x, 300) for x in XS)
    page1 += text(75, 381, "Head") + text(203, 381, "Name") + text(303, 381, "N")
    page1 += text(75, 351, "Group") + text(203, 351, "a1") + text(303, 351, "1")
    page1 += text(203, 316, "Long label") + text(303, 316, "2")
    # page 2: no rule on top; column 0 is one empty cell, the first row holds the rest of the label
    page2 = rule(200, 780, 400, 780) + rule(200, 750, 400, 750) + rule(72, 720, 400, 720)
    page2 += "".join(rule(x, 800, x, 720) for x in XS)
    page2 += text(203, 786, "continued")
    page2 += text(203, 760, "a3") + text(303, 760, "3")
    page2 += text(203, 730, "b1") + text(303, 730, "4")
    doc = read_pdf(make_pdf([page1, page2]), "split.pdf")
    assert len(doc.tables) == 1
    table = doc.tables[0]
    assert grid(table) == [
        ["Head", "Name", "N"],
        ["Group", "a1", "1"],
        ["Group", "Long label continued", "2"],
        ["Group", "a3", "3"],
        ["Group", "b1", "4"],
    ]
    assert [(row[0].spanned, row[0].page) for row in table.rows[1:]] == [(False, 1), (True, 1), (True, 1), (True, 1)]
    assert [row[1].page for row in table.rows] == [1, 1, 1, 2, 2]
    check_positions(doc)


# --- unreadable PDFs ----------------------------------------------------------------------


def test_scanned_pdf_has_no_text_layer(tmp_path):
    from PIL import Image

    path = tmp_path / "scan.pdf"
    Image.new("RGB", (300, 400), "white").save(path, "PDF")
    with pytest.raises(InputError) as info:
        read_document(path)
    assert info.value.problem == "has no text layer (a scanned image?); it cannot be checked without OCR"
    assert str(info.value) == f"{path}: has no text layer (a scanned image?); it cannot be checked without OCR"


def test_garbage_after_a_pdf_header():
    with pytest.raises(InputError) as info:
        read_pdf(b"%PDF-1.4\nthis is not a PDF body\n" * 20, "bad.pdf")
    assert info.value.problem == "is not a valid PDF file (damaged: it has no document catalogue; is it truncated, or not really a PDF?)"


def test_not_a_pdf_at_all():
    with pytest.raises(InputError) as info:
        read_pdf(b"<html>not a pdf</html>", "page.pdf")
    assert info.value.problem == "is not a valid PDF file (no %PDF header)"


def test_truncated_pdf(corpus):
    data = (corpus / "2023_hongzequ.pdf").read_bytes()[:100_000]
    with pytest.raises(InputError) as info:
        read_pdf(data, "cut.pdf")
    assert info.value.problem.startswith("is not a valid PDF file (")


def test_encrypted_pdf_without_the_password():
    data = (
        b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
        b"2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj\n"
        b"3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >> endobj\n"
        b"4 0 obj << /Filter /Standard /V 1 /R 2 /O <" + b"11" * 32 + b"> /U <" + b"22" * 32 + b"> /P -4 >> endobj\n"
        b"trailer << /Root 1 0 R /Encrypt 4 0 R /Size 5 "
        b"/ID [<0123456789abcdef0123456789abcdef> <0123456789abcdef0123456789abcdef>] >>\n%%EOF\n"
    )
    with pytest.raises(InputError) as info:
        read_pdf(data, "locked.pdf")
    assert info.value.problem == "is an encrypted PDF that cannot be opened without its password"


def test_pages_without_content_are_not_called_a_scan():
    with pytest.raises(InputError) as info:
        read_pdf(make_pdf(["", ""]), "blank.pdf")
    assert info.value.problem == "has no text: its pages are blank, or their content is missing or damaged"
