"""A Word report gives the same findings as the same report in HTML.

The .docx is built with python-docx from the real 上海 2019 page as read: its paragraphs and its
tables, merged cells merged again, in document order.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from validator.pipeline import validate_path
from validator.read import read_document

DATA = Path(__file__).resolve().parent.parent / "data" / "corpus"


def html_to_docx(html: Path, out: Path) -> None:
    import docx

    doc = read_document(str(html))
    items = [((b.anchors[0][1], b.anchors[0][2]), "p", b) for b in doc.blocks]
    items += [((t.rows[0][0].line, t.rows[0][0].column - 1), "t", t) for t in doc.tables]
    word = docx.Document()
    for _, kind, item in sorted(items, key=lambda x: x[0]):
        if kind == "p":
            word.add_paragraph(item.text)
            continue
        rows, width = len(item.rows), item.width
        table = word.add_table(rows=rows, cols=width)
        done: set[tuple[int, int]] = set()
        for r, row in enumerate(item.rows):
            for c, cell in enumerate(row):
                if (r, c) in done or cell.spanned:
                    continue
                # the block of copies of this cell is its span
                r2 = r
                while r2 + 1 < rows and item.rows[r2 + 1][c].spanned and \
                        (item.rows[r2 + 1][c].line, item.rows[r2 + 1][c].column) == (cell.line, cell.column):
                    r2 += 1
                c2 = c
                while c2 + 1 < width and row[c2 + 1].spanned and (row[c2 + 1].line, row[c2 + 1].column) == (cell.line, cell.column):
                    c2 += 1
                target = table.cell(r, c)
                if (r2, c2) != (r, c):
                    target = target.merge(table.cell(r2, c2))
                target.text = cell.text
                done.update((i, j) for i in range(r, r2 + 1) for j in range(c, c2 + 1))
    word.save(str(out))


@pytest.fixture(scope="module")
def pair(tmp_path_factory):
    html = DATA / "2019_shanghai-shifuban.html"
    out = tmp_path_factory.mktemp("docx") / "2019_shanghai-shifuban.docx"
    html_to_docx(html, out)
    return validate_path(str(html)), validate_path(str(out))


def test_same_findings(pair):
    html, word = pair
    assert word.error is None
    assert (word.template, word.year, word.body) == (html.template, html.year, html.body)

    def brief(r):
        return sorted((f.rule, f.severity, f.message, repr(f.expected), repr(f.actual)) for f in r.findings)

    assert brief(word) == brief(html)
    assert len(word.findings) == 5


def test_word_locations(pair):
    _, word = pair
    t1 = next(f for f in word.findings if f.rule == "T1" and f.actual == 258)
    table_locs = [loc for loc in t1.locations if loc.source == "table"]
    assert table_locs and all(loc.where.startswith("表格") for loc in table_locs)
    narrative = [loc for loc in t1.locations if loc.source == "narrative"]
    assert narrative and narrative[0].line > 0
