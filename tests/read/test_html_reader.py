"""The HTML reader: decoding, table grids with spans expanded, narrative blocks, exact positions."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from validator.errors import InputError
from validator.read import read_document
from validator.read.document import Document
from validator.read.html import read_html, sniff_charset


def at(doc: Document, line: int, column: int, length: int = 20) -> str:
    """The source text at a 1-based position."""
    return doc.lines[line - 1][column - 1 : column - 1 + length]


def check_positions(doc: Document) -> int:
    """Every visible character of every block and cell is where the reader says it is.

    A character decoded from an entity points at its ``&``. Returns the number of characters checked.
    """
    checked = 0
    for block in doc.blocks:
        for i, ch in enumerate(block.text):
            if ch == " ":
                continue
            pos = block.locate(i)
            assert at(doc, pos.line, pos.column, 1) in {ch, "&"}, (block.text, i)
            checked += 1
    for table in doc.tables:
        for row in table.rows:
            for cell in row:
                if cell.text:
                    assert at(doc, cell.line, cell.column, 1) in {cell.text[0], "&"}, cell
                    checked += 1
    return checked


def grid(table) -> list[list[str]]:
    return [[c.text for c in row] for row in table.rows]


@pytest.fixture(scope="module")
def shanghai(corpus) -> Document:
    return read_document(corpus / "2019_shanghai-shifuban.html")


@pytest.fixture(scope="module")
def pingtan(corpus) -> Document:
    return read_document(corpus / "2020_pingtan-page.html")


# --- the 2019 上海市人民政府办公厅 page: one long line of HTML ---------------------------------


def test_shanghai_tables_and_captions(shanghai):
    assert shanghai.format == "html"
    assert shanghai.encoding == "utf-8"
    assert [(len(t.rows), t.width) for t in shanghai.tables] == [(18, 5), (26, 10), (4, 15)]
    assert [t.caption for t in shanghai.tables] == [
        "二、主动公开政府信息情况",
        "三、收到和处理政府信息公开申请情况",
        "四、政府信息公开行政复议、行政诉讼情况",
    ]
    assert [t.line for t in shanghai.tables] == [1, 1, 1]


def test_shanghai_application_table_values_and_blanks(shanghai):
    table = shanghai.tables[1]
    assert grid(table)[3] == ["一、本年新收政府信息公开申请数量"] * 3 + ["821", "35", "", "", "2", "1", "859"]
    assert grid(table)[5] == ["三、本年度办理结果", "（一）予以公开", "（一）予以公开", "258", "12", "", "", "1", "1", ""]
    blank = table.rows[3][5]
    assert (blank.text, "\xa0" in blank.raw) == ("", True)  # printed as a non-breaking space
    assert grid(table)[-1][0] == "四、结转下年度继续办理"
    assert grid(table)[-1][3:] == ["72", "", "", "", "", "", "72"]


def test_shanghai_spans_are_expanded(shanghai):
    table = shanghai.tables[1]
    origin = table.rows[5][0]
    assert (origin.text, origin.spanned) == ("三、本年度办理结果", False)
    copies = [row[0] for row in table.rows[6:25]]
    assert all(c.spanned and c.text == origin.text for c in copies)
    assert {(c.line, c.column) for c in copies} == {(origin.line, origin.column)}
    # 申请人情况: one cell over 7 columns; the corner note: 3 rows x 3 columns
    assert [c.spanned for c in table.rows[0][3:]] == [False] + [True] * 6
    corner = [table.rows[r][c] for r in range(3) for c in range(3)]
    assert [c.spanned for c in corner] == [False] + [True] * 8
    assert len({c.text for c in corner}) == 1


def test_shanghai_review_table(shanghai):
    table = shanghai.tables[2]
    assert grid(table)[1][:6] == ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计", "未经复议直接起诉"]
    assert grid(table)[3] == ["5", "", "", "2", "7", "8", "", "", "1", "9", "", "", "", "", ""]


def test_shanghai_cell_positions(shanghai):
    table = shanghai.tables[1]
    cell = table.rows[3][3]
    assert at(shanghai, cell.line, cell.column).startswith("821</p>")
    label = table.rows[3][0]
    assert at(shanghai, label.line, label.column).startswith("一、本年新收政府信息公开申请数量")
    header = shanghai.tables[0].rows[1][1]  # 本年新<br />制作数量
    assert header.text == "本年新制作数量"
    assert at(shanghai, header.line, header.column).startswith("本年新<br />制作数量")
    assert check_positions(shanghai) > 5000


def test_shanghai_narrative_numbers_are_located(shanghai):
    block = next(b for b in shanghai.blocks if "予以公开及部分公开258件" in b.text)
    i = block.text.index("258件")
    pos = block.locate(i)
    assert at(shanghai, pos.line, pos.column).startswith("258件，占33.9%")
    assert block.text.index("859件") < i
    titles = [b.text for b in shanghai.blocks[:4]]
    assert titles[0] == "2019年上海市人民政府办公厅政府信息公开工作年度报告"
    assert titles[1] == "发布日期：2020-01-31"
    assert titles[3] == "一、总体情况"
    assert not any("第二十条第（一）项" in b.text for b in shanghai.blocks)  # tables are not narrative


def test_entities_are_decoded_and_located(shanghai):
    block = next(b for b in shanghai.blocks if "<长江三角洲" in b.text)
    i = block.text.index("<长江三角洲")
    lt = block.locate(i)
    assert at(shanghai, lt.line, lt.column).startswith("&lt;长江三角洲")
    after = block.locate(i + 1)
    assert (after.line, after.column) == (lt.line, lt.column + 4)
    assert block.text[block.text.index("纲要") + 2] == ">"


# --- the 2020 平潭 page: Word-exported HTML over many lines ---------------------------------


def test_pingtan_multiline_source(pingtan):
    assert [(len(t.rows), t.width) for t in pingtan.tables] == [(18, 4), (26, 10), (5, 15)]
    table = pingtan.tables[0]
    assert grid(table)[10] == ["行政处罚", "2648", "-18", "538"]
    cell = table.rows[10][2]
    assert cell.line > 100
    assert at(pingtan, cell.line, cell.column).startswith("-18")
    assert table.line == 155
    assert at(pingtan, table.line, 1, 200).count("<table") == 1
    block = next(b for b in pingtan.blocks if b.text.startswith("全年我区政府信息公开单位共公布政府信息2602条"))
    assert len(block.anchors) > 1
    assert check_positions(pingtan) > 5000


# --- encodings ----------------------------------------------------------------------------


GBK_PAGE = """<html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312">
<title>年度报告</title><style>p {color: red}</style><script>var x = "<td>1</td>";</script></head>
<body><p>二、主动公开政府信息情况</p>
<table border=1><tr><td>信息内容</td><td>本年制发件数</td></tr>
<tr><td>行政规范性文件</td><td>　12&nbsp;</td></tr></table></body></html>"""


def test_declared_gbk_page():
    doc = read_html(GBK_PAGE.encode("gb18030"), "gbk.html")
    assert doc.encoding == "gb18030"
    assert [b.text for b in doc.blocks] == ["二、主动公开政府信息情况"]  # head, title, style, script skipped
    assert grid(doc.tables[0]) == [["信息内容", "本年制发件数"], ["行政规范性文件", "12"]]
    cell = doc.tables[0].rows[1][1]
    assert (cell.line, cell.column) == (5, 26)  # columns count characters (in GBK bytes it would be 34)
    assert doc.lines[4][25:27] == "12"
    assert cell.raw == "\u300012\xa0"
    assert doc.tables[0].caption == "二、主动公开政府信息情况"


def test_undeclared_gbk_and_misdeclared_utf8():
    page = "<p>本年新收申请数量 21 件</p>"
    assert read_html(page.encode("gbk"), "a.html").blocks[0].text == "本年新收申请数量 21 件"
    mislabelled = '<meta charset="gbk"><p>本年新收申请数量 21 件</p>'.encode()
    doc = read_html(mislabelled, "b.html")
    assert (doc.encoding, doc.blocks[0].text) == ("utf-8", "本年新收申请数量 21 件")


def test_sniff_charset():
    assert sniff_charset(b'<meta charset="GBK">') == "gbk"
    assert sniff_charset(b"<META HTTP-EQUIV='Content-Type' CONTENT='text/html;charset=gb2312'>") == "gb2312"
    assert sniff_charset(b'<?xml version="1.0" encoding="GB18030"?><html>') == "gb18030"
    assert sniff_charset(b"<p>no declaration</p>") is None


# --- tables -------------------------------------------------------------------------------


def test_rowspan_colspan_block_is_copied_everywhere():
    page = (
        "<table>\n"
        "<tr><td rowspan=2 colspan=3>合并</td><td>a</td></tr>\n"
        "<tr><td>b</td></tr>\n"
        "<tr><td>1</td><td>2</td></tr>\n"
        "</table>"
    )
    doc = read_html(page.encode(), "t.html")
    table = doc.tables[0]
    assert grid(table) == [["合并", "合并", "合并", "a"], ["合并", "合并", "合并", "b"], ["1", "2", "", ""]]
    block = [table.rows[r][c] for r in range(2) for c in range(3)]
    assert [c.spanned for c in block] == [False, True, True, True, True, True]
    column = page.split("\n")[1].index("合并") + 1
    assert column == 29
    assert {(c.text, c.line, c.column) for c in block} == {("合并", 2, column)}
    pad = table.rows[2][3]
    assert (pad.text, pad.raw, pad.spanned, pad.line) == ("", "", False, 4)
    assert table.line == 1


def test_cell_text_joins_paragraphs_and_breaks():
    page = (
        "<table><tr><td><p>本年新</p><p>制作数量</p></td><td>10<br>20</td><td> a\n  b </td>"
        "<td>&nbsp;</td><td></td><td>行政\n复议</td></tr></table>"
    )
    table = read_html(page.encode(), "t.html").tables[0]
    assert grid(table) == [["本年新制作数量", "10 20", "a b", "", "", "行政复议"]]
    assert [c.raw for c in table.rows[0][3:5]] == ["\xa0", ""]
    empty = table.rows[0][4]
    assert (empty.line, empty.column) == (2, page.split("\n")[1].index("<td></td>") + 1)


def test_caption_element_wins():
    page = "<p>上一段</p><table><caption>表一 主动公开</caption><tr><td>规章</td><td>3</td></tr></table>"
    doc = read_html(page.encode(), "t.html")
    assert doc.tables[0].caption == "表一 主动公开"
    assert [b.text for b in doc.blocks] == ["上一段"]


def test_long_paragraph_is_not_a_caption():
    page = "<p>" + "很长的一段。" * 20 + "</p><table><tr><td>规章</td><td>3</td></tr></table>"
    assert read_html(page.encode(), "t.html").tables[0].caption == ""


def test_layout_table_wrapping_content():
    page = (
        "<table width=100%><tr><td>导航</td><td>\n"
        "<p>一、总体情况</p><p>本年度收到申请 21 件。</p>\n"
        "<table border=1><tr><td>规章</td><td>0</td></tr><tr><td>规范性文件</td><td>5</td></tr></table>\n"
        "<p>二、其他</p></td></tr></table>"
    )
    doc = read_html(page.encode(), "layout.html")
    assert len(doc.tables) == 1
    assert grid(doc.tables[0]) == [["规章", "0"], ["规范性文件", "5"]]
    assert doc.tables[0].line == 3
    assert [b.text for b in doc.blocks] == ["导航", "一、总体情况", "本年度收到申请 21 件。", "二、其他"]
    assert doc.tables[0].caption == "本年度收到申请 21 件。"


def test_single_column_table_is_narrative():
    page = "<table><tr><td><p>一、总体情况</p></td></tr><tr><td>共 3 件</td></tr></table>"
    doc = read_html(page.encode(), "t.html")
    assert doc.tables == []
    assert [b.text for b in doc.blocks] == ["一、总体情况", "共 3 件"]


# --- narrative ----------------------------------------------------------------------------


def test_blocks_split_on_block_elements_and_br():
    page = (
        "<div>前言<h2>一、总体情况</h2>正文 <b>12</b>\n件<br/>第二行</div>"
        "<ul><li>甲<li>乙</ul><p>段落<span>内</span>文字</p>"
    )
    doc = read_html(page.encode(), "n.html")
    assert [b.text for b in doc.blocks] == ["前言", "一、总体情况", "正文 12 件", "第二行", "甲", "乙", "段落内文字"]
    block = doc.blocks[2]
    pos = block.locate(block.text.index("件"))
    assert at(doc, pos.line, pos.column, 1) == "件"
    assert pos.line == 2
    check_positions(doc)


def test_segment_break_between_cjk_characters_is_dropped():
    doc = read_html("<p>政府信息\n  公开 2023\n年</p>".encode(), "n.html")
    assert doc.blocks[0].text == "政府信息公开 2023 年"
    check_positions(doc)


def test_hidden_and_skipped_content():
    page = '<p>看得见</p><div style="display: none">看不见</div><!-- 注释 --><noscript>开启脚本</noscript><p>也看得见</p>'
    doc = read_html(page.encode(), "h.html")
    assert [b.text for b in doc.blocks] == ["看得见", "也看得见"]


def test_word_conditional_comments():
    page = "<p><![if !supportLists]><span>1.</span><![endif]>规章 3 件<o:p></o:p></p>"
    assert read_html(page.encode(), "w.html").blocks[0].text == "1.规章 3 件"


# --- malformed input ----------------------------------------------------------------------


def test_malformed_tables():
    doc = read_html(b"<table><td>a<td>b</td></td><td>c</table>", "m.html")
    assert grid(doc.tables[0]) == [["a", "b", "c"]]
    doc = read_html(b"<table>stray<tr><td>1<td>2</tr></td><tr><td>3<td>4</table>after", "m.html")
    assert grid(doc.tables[0]) == [["1", "2"], ["3", "4"]]
    assert [b.text for b in doc.blocks] == ["stray", "after"]
    doc = read_html(b"</td></tr><p>x</p></table></div><table><tr><td>1<td>2", "m.html")
    assert grid(doc.tables[0]) == [["1", "2"]]
    assert [b.text for b in doc.blocks] == ["x"]


def test_deep_nesting_does_not_recurse():
    doc = read_html(("<div>" * 60000 + "深" + "</span>" * 500).encode(), "deep.html")
    assert [b.text for b in doc.blocks] == ["深"]
    doc = read_html(("<table><tr><td>" * 3000 + "<td>1</td><td>2</td>").encode(), "deep.html")
    assert grid(doc.tables[0]) == [["", "1", "2"]]  # only the innermost table holds data


def test_page_without_visible_text():
    with pytest.raises(InputError, match="has no visible text"):
        read_html(b"<html><head><script>render()</script></head><body></body></html>", "js.html")


HTMLISH = st.lists(
    st.sampled_from([
        "<", ">", "/", "&", "#", ";", "x", "1", "a", "p", "td", "tr", "table", "!", "-", "[", "]", "'", '"',
        "=", "中", " ", "\n", "nbsp", "&nbsp;", "&#", "<td>", "<tr>", "<table>", "</table>", "</td>",
        "<!--", "-->", "<![", "<p>", "<br>", " rowspan=3", " colspan=2", "<script>", "</script>", "<th ",
    ]),
    max_size=60,
).map("".join)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(HTMLISH)
def test_fuzz_never_crashes_and_positions_hold(page):
    try:
        doc = read_html(page.encode(), "fuzz.html")
    except InputError:
        return
    check_positions(doc)
    for table in doc.tables:
        assert len({len(row) for row in table.rows}) == 1  # rectangular
