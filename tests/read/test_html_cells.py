"""What the HTML reader's shortcuts rely on (see validator/read/html.py)."""

from dataclasses import fields

import validator.read.html as html_module
from validator.read.document import Cell
from validator.read.html import read_html


def test_cells_made_field_by_field_have_every_field():
    page = ("<table><tr><td colspan=2>项目</td><td>数量</td></tr>"
            "<tr><td><p>规章</p></td><td rowspan=2>&nbsp;</td><td> 1 </td></tr><tr><td>x</td></tr></table>")
    doc = read_html(page.encode(), "t.html")
    cells = [cell for table in doc.tables for row in table.rows for cell in row]
    assert cells
    for cell in cells:
        values = {f.name: getattr(cell, f.name) for f in fields(Cell)}  # (an unset slot raises AttributeError)
        assert Cell(**values) == cell


def test_of_the_characters_not_shown_only_the_space_is_printable():
    # (_assemble and read_table take str.isprintable and no " " for "no _NOT_VISIBLE character")
    chars = html_module._WS | html_module._INVISIBLE | {html_module._BREAK}
    assert [c for c in chars if c.isprintable()] == [" "]
    for c in chars:
        assert html_module._NOT_VISIBLE.search(c)


def test_whole_parts_are_kept_under_keys_ending_with_gt():
    read_html(b"<p class='a'>x</p><table><tr><td>1</td><td>2</td></tr></table>", "t.html")
    assert html_module._PART_KINDS
    assert all(key.endswith(">") for key in html_module._PART_KINDS)
    assert len(html_module._PART_KINDS) <= html_module._MAX_KEPT
