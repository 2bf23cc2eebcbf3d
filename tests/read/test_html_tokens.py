"""The HTML reader's tokenizer: comments and declarations as tokens, tokens found inside a raw-text
element, what is kept from page to page, and the garbage collector's state."""

from __future__ import annotations

import gc

from validator.read import html as html_module
from validator.read.html import read_html


def texts(page: str) -> list[str]:
    return [b.text for b in read_html(page.encode("utf-8"), "x.html").blocks]


def dump(page: str) -> str:
    doc = read_html(page.encode("utf-8"), "x.html")
    return repr((doc.blocks, doc.tables))


def test_comments_end_at_the_first_closing_from_their_bang():
    assert texts("<p>a<!-->b</p><p>c<!--->d</p><p>e<!-- x -- y -->f</p>") == ["ab", "cd", "ef"]


def test_a_comment_that_never_ends_hides_the_rest():
    assert texts("<p>a</p><!-- never ends <p>b</p>") == ["a"]
    assert texts("<p>a</p>" + "<!-- <p>b</p>" * 1000) == ["a"]


def test_declarations_and_word_conditionals_are_skipped():
    assert texts("<!DOCTYPE html><?xml version=1?><p>b<![if !supportLists]>c<![endif]>d</p>") == ["bcd"]


def test_a_tag_found_inside_a_script_that_runs_past_its_end():
    # "<a x='</script>'>" is one tag to the tokenizer, but the script ends inside it: reading goes on
    # right after "</script>", as many times as it happens
    assert texts("<p>1</p><script><a x='</script>'>2</a><p>3</p>") == ["1", "'>2", "3"]
    page = "".join(f"<p>{k}</p><script><a x='</script>'>{k}b</a>" for k in range(20))
    assert texts(page) == [t for k in range(20) for t in (str(k), f"'>{k}b")]


def test_tokens_that_hold_a_lt_or_end_after_a_later_gt():
    # the page is split at every "<": these tokens span parts, or end after the first ">" of their part
    assert texts("<p>a<t<>b</p>") == ["ab"]  # a start tag named "t<"
    assert texts("<p>a<b title='x<y'>b</b></p><p>c<i title=\"1>2\">d</i></p>") == ["ab", "cd"]
    assert texts("<p>a<!-- <b> x > y -->b</p><p>c<!-- x -- y ->-->d</p><p>e<!--->f</p>") == ["ab", "cd", "ef"]
    assert texts("<p>a<b\"c d=\">x\">b</p>") == ["ab"]  # the longest name leaves a quote open: x">b
    assert texts("<p>a</ 3>b</>c<3>d<>e</p>") == ["ab</>c<3>d<>e"]
    assert texts("<p>a&nbsp;</p><p>&notin<b>&amp</b>&#x4e00;x&</p><p>&bogus;</p>") == ["a", "¬in&一x&", "&bogus;"]


def test_entities_whole_or_by_their_longest_known_prefix():
    assert texts("<p>&notin; &notit; &amp &#25919;&#x4e00;&bogus; & x</p>") == ["∉ ¬it; & 政一&bogus; & x"]


def test_what_is_kept_from_page_to_page_changes_nothing():
    first = "<table><tr><td colspan=2>a<td>1</tr><tr><td style='display:none'>x<td>2<td>3</tr></table>"
    second = "<table><tr><td colspan=2 rowspan=2>b<td>4</tr><tr><td style='display:none'>y</tr></table><p>z</p>"
    html_module._KINDS.clear()
    html_module._TAG_KINDS.clear()
    html_module._SPANS.clear()
    alone = dump(second)
    dump(first)
    assert dump(second) == alone


def test_pages_whose_tags_all_differ():
    # more distinct tags than are kept: the caches are emptied and filled again on the way
    page = "".join(f'<p class="c{k}">{k}</p>' for k in range(html_module._MAX_KEPT + 500))
    assert texts(page) == [str(k) for k in range(html_module._MAX_KEPT + 500)]
    assert len(html_module._KINDS) <= html_module._MAX_KEPT
    assert len(html_module._TAG_KINDS) <= html_module._MAX_KEPT


def test_the_garbage_collector_is_left_as_it_was():
    assert gc.isenabled()
    texts("<p>a</p>")
    assert gc.isenabled()
    gc.disable()
    try:
        texts("<p>a</p>")
        assert not gc.isenabled()
    finally:
        gc.enable()
    try:
        texts("<script>only a script</script>")
    except Exception:  # noqa: BLE001 (no visible text)
        pass
    assert gc.isenabled()


def test_long_tokens_are_not_kept_from_page_to_page():
    page = '<p title="' + "x" * (2 * html_module._MAX_KEY) + '">a</p><table><tr><td class="' + "y" * 2000 + '">1<td>2</table>'
    assert texts(page) == ["a"]
    assert all(len(k) <= html_module._MAX_KEY for k in html_module._KINDS)
    assert all(len(k) <= html_module._MAX_KEY for k in html_module._TAG_KINDS)
    assert all(len(k) <= html_module._MAX_KEY for k in html_module._SPANS)
