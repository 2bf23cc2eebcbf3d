"""A consistent real report (平潭 2021, HTML, 2021 format) with one cell of table 三 or 四 altered at a
time: the altered cell is caught, at its own location."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest

from validator.engine import evaluate
from validator.extract import extract
from validator.read import read_document
from validator.ruleset import load_ruleset

DATA = Path(__file__).resolve().parent.parent / "data" / "corpus"
PATH = DATA / "2021_pingtan-page.html"


@pytest.fixture(scope="module")
def base():
    doc = read_document(str(PATH))
    rs = load_ruleset("national-2021")
    ex = extract(doc, rs)
    assert evaluate(rs, [ex])[0].findings == []  # consistent as published
    return doc, rs, ex


def _cells(ex, grid: str):
    return [f for f in ex.table if ex.ruleset.figures[f.key].grid == grid and f.state == "value"]


def _alter(doc, line: int, column: int, text: str, new: str):
    altered = copy.deepcopy(doc)
    for table in altered.tables:
        for row in table.rows:
            for cell in row:
                if (cell.line, cell.column) == (line, column):
                    cell.text = new
    return altered


def _check(base, fig):
    doc, rs, _ = base
    new = str(int(fig.value) + 1)
    ex = extract(_alter(doc, fig.line, fig.column, fig.text, new), rs)
    findings = evaluate(rs, [ex])[0].findings
    arithmetic = [f for f in findings if f.rule in {"N1", "N2", "N3", "N4"}]
    assert arithmetic, f"{fig.key} {fig.value} → {new} not caught"
    for f in arithmetic:
        assert any((loc.line, loc.column) == (fig.line, fig.column) and loc.text == new for loc in f.locations), (
            f"{f.rule} does not point at the altered cell {fig.key}")


def test_every_cell_of_table_four(base):
    cells = _cells(base[2], "t4")
    assert len(cells) == 15
    for fig in cells:
        _check(base, fig)


def test_table_three_one_cell_per_row_and_column(base):
    cells = _cells(base[2], "t3")
    assert len(cells) >= 150
    rows: dict[str, object] = {}
    cols: dict[str, object] = {}
    for fig in cells:
        fdef = base[1].figures[fig.key]
        rows.setdefault(fdef.row, fig)
        cols.setdefault(fdef.col, fig)
    chosen = {f.key: f for f in [*rows.values(), *cols.values()]}
    assert len(chosen) >= 25
    for fig in chosen.values():
        _check(base, fig)
