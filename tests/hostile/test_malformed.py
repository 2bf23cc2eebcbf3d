"""Malformed inputs through the command line: the exact one-line message and exit code for each.

Every case builds its input in a temporary folder and runs ``validate check PATH`` with typer's
CliRunner. An unusable input must give exit 2 and exactly ``validate: error: PATH: PROBLEM`` on
stderr; a damaged but readable one (a few bad bytes, a cut-off last character) must be read as the
intact report is.
"""

from __future__ import annotations

import codecs
import io
import os
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.hostile.builders import (
    CORPUS_PDF,
    SEED,
    SHANGHAI,
    build_pdf,
    docx_bytes,
    replace_parts,
    text_page,
    word_document,
)
from validator.cli import app

runner = CliRunner()

NOT_A_REPORT = ("is not a government information-disclosure annual report (政府信息公开工作年度报告): "
                "none of its figures or headings were found")
PDF_LINES = ["Annual report on government information disclosure for 2023",
             "Applications received: 95; answered: 90; carried over: 5"]


def run(path: Path | str):
    return runner.invoke(app, ["check", str(path)], env={"COLUMNS": "200"})


def seed_text() -> str:
    return SEED.read_text(encoding="utf-8")


# --- builders: each writes one input into ``folder`` and returns the path to give the CLI ---------------


def write(name: str, data: bytes | str) -> Callable[[Path], Path]:
    def build(folder: Path) -> Path:
        path = folder / name
        path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
        return path

    return build


def pillow_pdf(folder: Path) -> Path:
    from PIL import Image

    path = folder / "scan.pdf"
    Image.new("RGB", (300, 400), "white").save(path, "PDF")
    return path


def truncated_corpus_pdf(folder: Path) -> Path:
    path = folder / "cut.pdf"
    path.write_bytes(CORPUS_PDF.read_bytes()[:100_000])
    return path


def zip_bomb(folder: Path) -> Path:
    """A .docx whose document.xml unpacks to 520 MB of spaces (2.4 MB on disk)."""
    path = folder / "bomb.docx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as z:
        with z.open("word/document.xml", "w", force_zip64=True) as fh:
            chunk = b" " * (1 << 20)
            for _ in range(520):
                fh.write(chunk)
    return path


def truncated_docx(folder: Path) -> Path:
    data = docx_bytes([seed_text().splitlines()[0]] * 20)
    path = folder / "cut.docx"
    path.write_bytes(data[: len(data) // 2])
    return path


def folder_of(names: list[str]) -> Callable[[Path], Path]:
    def build(folder: Path) -> Path:
        path = folder / "inbox"
        path.mkdir()
        for name in names:
            (path / name).write_bytes(b"\x89PNG\r\n\x1a\n" if name.endswith(".png") else b"a,b\n1,2\n")
        return path

    return build


def glob_of_nothing(folder: Path) -> str:
    return str(folder / "*.docx")


def fifo(folder: Path) -> Path:
    path = folder / "pipe.txt"
    os.mkfifo(path)
    return path


def dev_zero(folder: Path) -> Path:
    return Path("/dev/zero")


def _zip(files: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        for name, data in files.items():
            z.writestr(name, data)
    return out.getvalue()


CUT_XML = word_document(b"<w:p><w:r><w:t>text</w:t></w:r></w:p>").split(b"</w:t>")[0]
GARBAGE = bytes((i * 97 + 13) % 256 for i in range(4000))

# (id, builder, exact problem); pytest.param for the platform-dependent ones
UNUSABLE: list = [
    # HTML
    ("html-no-report", write("page.html", "<html><head><title>首页</title></head><body><p>欢迎访问本网站</p>"
                                          "<a href='/'>返回首页</a></body></html>"), NOT_A_REPORT),
    ("html-filled-by-script", write("app.html", "<html><head><script>document.write('政府信息公开')</script></head>"
                                                "<body><div id='app'></div></body></html>"),
     "has no visible text (a page filled in by JavaScript, or not a report?)"),
    ("html-empty-table", write("t.html", "<html><body><table><tr><td>&nbsp;</td></tr></table></body></html>"),
     "has no visible text (a page filled in by JavaScript, or not a report?)"),
    # PDF
    ("pdf-no-text-layer", pillow_pdf, "has no text layer (a scanned image?); it cannot be checked without OCR"),
    ("pdf-garbage-after-header", write("g.pdf", b"%PDF-1.4\n" + GARBAGE),
     "is not a valid PDF file (damaged: it has no document catalogue; is it truncated, or not really a PDF?)"),
    ("pdf-header-only", write("h.pdf", b"%PDF-1.7\n"), "is not a valid PDF file (damaged: it has no document catalogue; is it truncated, or not really a PDF?)"),
    ("pdf-truncated", truncated_corpus_pdf, "is not a valid PDF file (unexpected end of file; is it truncated?)"),
    ("pdf-not-a-pdf", write("n.pdf", "这不是PDF文件，只是一段文字。\n"), "is not a valid PDF file (no %PDF header)"),
    ("pdf-encrypted", write("locked.pdf", build_pdf(text_page(PDF_LINES), user_password=b"secret")),
     "is an encrypted PDF that cannot be opened without its password"),
    ("pdf-encrypted-empty-password-is-read", write("open.pdf", build_pdf(text_page(PDF_LINES), user_password=b"")),
     NOT_A_REPORT),
    ("pdf-page-without-mediabox", write("nobox.pdf", build_pdf(text_page(PDF_LINES), page_extra=b"")),
     "is not a valid PDF file (damaged: the PDF library failed with TypeError)"),
    ("pdf-mediabox-not-numbers", write("box.pdf", build_pdf(text_page(PDF_LINES),
                                                             page_extra=b"/MediaBox [0 0 (wide) 842]")),
     "is not a valid PDF file (Bounding box contains non-number coordinate(s))"),
    ("pdf-odd-dictionary", write("odd.pdf", build_pdf(text_page(PDF_LINES), page_extra=b"/MediaBox [0 0 595 842] /Odd")),
     "is not a valid PDF file (Invalid dictionary construct)"),
    # Word
    ("docx-plain-zip", write("notes.docx", _zip({"readme.txt": b"hello", "img/a.png": b"\x89PNG"})),
     "is not a valid Word .docx file (word/document.xml is missing)"),
    ("docx-empty-body", write("empty.docx", docx_bytes()), "is empty (the document has no text)"),
    ("docx-body-of-blank-paragraphs", write("blank.docx", docx_bytes(["", "   ", "\u3000"])),
     "is empty (the document has no text)"),
    ("docx-no-body-element", write("nobody.docx", replace_parts(docx_bytes(), {
        "word/document.xml": b'<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/'
                             b'wordprocessingml/2006/main"/>'})),
     "is not a valid Word .docx file (word/document.xml has no document body)"),
    ("docx-wrong-root-element", write("root.docx", replace_parts(docx_bytes(), {"word/document.xml": b"<html/>"})),
     "is not a valid Word .docx file (word/document.xml has no document body)"),
    ("docx-package-rels-missing", write("norels.docx", replace_parts(docx_bytes(), {"_rels/.rels": None})),
     "is not a valid Word .docx file (_rels/.rels names no main document)"),
    ("docx-package-rels-wrong-root", write("badrels.docx", replace_parts(docx_bytes(), {"_rels/.rels": b"<foo/>"})),
     "is not a valid Word .docx file (damaged: the Word library failed with AttributeError)"),
    ("docx-xml-cut-off", write("bad.docx", replace_parts(docx_bytes(), {"word/document.xml": CUT_XML})),
     "is not a valid Word .docx file (malformed XML: Premature end of data in tag t line 1, line 1, column 149)"),
    ("docx-nested-too-deeply", write("deep.docx", replace_parts(docx_bytes(), {
        "word/document.xml": word_document(b"<w:p>" * 300 + b"<w:r><w:t>x</w:t></w:r>" + b"</w:p>" * 300)})),
     "is nested too deeply to be read (XML elements more than 256 levels deep)"),
    ("docx-zip-bomb", zip_bomb, "is too large to be read (520 MB unpacked; the limit is 512 MB)"),
    ("docx-truncated", truncated_docx, "is not a valid Word .docx file (the zip archive is damaged or cut off)"),
    ("docx-zip-magic-then-text", write("fake.docx", b"PK\x03\x04 not really a zip"),
     "is not a valid Word .docx file (not a zip archive)"),
    ("docx-is-an-old-doc", write("old.docx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(1024)),
     "is an old binary Word .doc file, not .docx; save it as .docx first"),
    # text and encodings
    ("binary-named-txt", write("b.txt", GARBAGE), "is a binary file, not a text document"),
    ("bom-and-whitespace", write("ws.txt", codecs.BOM_UTF8 + " \n\t\r\n\u3000 \r\n".encode()), "is empty"),
    ("bom-only", write("bom.txt", codecs.BOM_UTF8), "is empty"),
    ("utf16-bom-and-whitespace", write("ws16.txt", " \n\u3000\n".encode("utf-16")), "is empty"),
    ("utf16-bom-then-garbage", write("g16.txt", codecs.BOM_UTF16_LE + b"\x00\xd8" * 600),
     "starts with a utf-16-le byte-order mark but is not valid utf-16-le"),
    # folders, globs and special files
    ("folder-of-non-reports", folder_of(["a.png", "b.csv", "c.xlsx"]),
     "is a directory with no report files (.txt .md .html .pdf .docx) in it"),
    ("empty-folder", folder_of([]), "is a directory with no report files (.txt .md .html .pdf .docx) in it"),
    ("glob-matching-nothing", glob_of_nothing, "matches no report files"),
    pytest.param(fifo, "is not a regular file (a device, pipe or socket)", id="fifo",
                 marks=pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")),
    pytest.param(dev_zero, "is not a regular file (a device, pipe or socket)", id="dev-zero",
                 marks=pytest.mark.skipif(not Path("/dev/zero").exists(), reason="no /dev/zero here")),
]


@pytest.mark.parametrize(("builder", "problem"), [
    pytest.param(case[1], case[2], id=case[0]) if type(case) is tuple else case for case in UNUSABLE
])
def test_unusable_input_exit_2_one_line(tmp_path, builder, problem):
    path = builder(tmp_path)
    result = run(path)
    assert result.stderr == f"validate: error: {path}: {problem}\n"
    assert result.exit_code == 2
    assert "Traceback" not in result.output


# --- damaged but readable: read as the intact report is ---------------------------------------------------

def _seed_variant(transform: Callable[[str], bytes], name: str = "seed.txt") -> Callable[[Path], Path]:
    def build(folder: Path) -> Path:
        path = folder / name
        path.write_bytes(transform(seed_text()))
        return path

    return build


def _gb18030_with_bad_bytes(text: str) -> bytes:
    data = text.encode("gb18030")
    cut = data.index("政府信息公开".encode("gb18030"))  # in the title, far from every figure
    return data[:cut] + b"\x81\x20" + data[cut:cut + 12] + b"\xff" + data[cut + 12:] + b"\x80"


READABLE: list[tuple[str, Callable[[Path], Path]]] = [
    ("utf16-bom-odd-byte-count", _seed_variant(lambda t: t.encode("utf-16") + b"\n")),
    ("utf16-no-bom-odd-byte-count", _seed_variant(lambda t: t.encode("utf-16-le") + b"\n")),
    ("gb18030-invalid-sequences", _seed_variant(_gb18030_with_bad_bytes)),
    ("utf8-cut-inside-last-character", _seed_variant(lambda t: t.encode("utf-8")[:-1])),
    ("utf8-stray-invalid-byte", _seed_variant(lambda t: t.encode("utf-8").replace("年度报告".encode(), b"\xff", 1))),
    ("utf8-stray-nul", _seed_variant(lambda t: t.encode("utf-8").replace(b"\n", b"\x00\n", 1))),
    ("utf8-bom-cut-inside-last-character", _seed_variant(lambda t: codecs.BOM_UTF8 + t.encode("utf-8")[:-2])),
]


@pytest.fixture(scope="module")
def seed_findings() -> list[str]:
    result = run(SEED)
    assert result.exit_code == 1
    findings = _findings(result.stdout)
    assert len(findings) >= 4
    return findings


def _findings(stdout: str) -> list[str]:
    """The rule lines of the console report ("✖ O6 …"), in order."""
    return [line.strip() for line in stdout.splitlines() if line.strip()[:1] in {"✖", "▲", "●", "ℹ"}]


@pytest.mark.parametrize("builder", [b for _, b in READABLE], ids=[i for i, _ in READABLE])
def test_damaged_text_is_read_like_the_intact_report(tmp_path, builder, seed_findings):
    path = builder(tmp_path)
    result = run(path)
    assert result.stderr == ""
    assert result.exit_code == 1
    assert _findings(result.stdout) == seed_findings


def test_ascii_page_declaring_utf16_is_read_as_utf8(tmp_path):
    """A page whose Chinese is all character references and whose meta says UTF-16 (browsers read it as UTF-8)."""
    html = SHANGHAI.read_text(encoding="utf-8")
    page = html.encode("ascii", errors="xmlcharrefreplace")
    declared = b'<meta charset="utf-16">' + page
    plain = tmp_path / "plain.html"
    plain.write_bytes(page)
    odd = tmp_path / "odd.html"
    odd.write_bytes(declared)
    expected = run(plain)
    result = run(odd)
    assert (result.exit_code, result.stderr) == (expected.exit_code, "")
    assert _findings(result.stdout) == _findings(expected.stdout)


def test_terminal_escape_sequences_in_a_report_are_not_printed(tmp_path, seed_findings):
    """A quoted line with ESC sequences (clear screen, set title) must not drive the user's terminal."""
    text = seed_text().replace("从事政府信息公开工作人员224名", "从事政府信息公开工作人员224名\x1b[2J\x1b]0;pwned\x07")
    path = tmp_path / "escapes.txt"
    path.write_text(text, encoding="utf-8")
    result = run(path)
    assert (result.exit_code, result.stderr) == (1, "")
    assert "\x1b" not in result.stdout and "\x07" not in result.stdout
    assert _findings(result.stdout) == seed_findings


def test_word_symbol_outside_unicode_is_replaced(tmp_path):
    """<w:sym w:char="D800"/> is a lone surrogate: printing it used to crash the console report."""
    lines = [line for line in seed_text().splitlines() if line.strip()]
    plain = docx_bytes(lines)
    xml = zipfile.ZipFile(io.BytesIO(plain)).read("word/document.xml")
    at = xml.index("从事政府信息公开工作人员224名".encode())
    symbol = b'</w:t></w:r><w:r><w:sym w:font="Wingdings" w:char="D800"/></w:r><w:r><w:t xml:space="preserve">'
    (tmp_path / "plain.docx").write_bytes(plain)
    (tmp_path / "symbol.docx").write_bytes(replace_parts(plain, {"word/document.xml": xml[:at] + symbol + xml[at:]}))
    expected = run(tmp_path / "plain.docx")
    result = run(tmp_path / "symbol.docx")
    assert expected.exit_code == 1 and _findings(expected.stdout)
    assert (result.exit_code, result.stderr) == (1, "")
    assert not isinstance(result.exception, UnicodeError), result.exception
    assert _findings(result.stdout) == _findings(expected.stdout)


def test_pdf_glyphs_without_width_keep_every_digit():
    """A page whose font is missing has zero-width glyphs: removing "duplicate" characters at the same place
    used to turn 2555 into 25, 1100 into 10 and 224 into 24 without a word."""
    from validator.read.pdf import read_pdf

    lines = ["Applications received 2555, answered 1100", "Staff 224"]
    intact = build_pdf(text_page(lines))
    no_font = intact.replace(b"/F1 5 0 R", b"/F1 9 0 R")
    assert no_font != intact
    expected = [b.text for b in read_pdf(intact, "intact.pdf").blocks]
    assert expected == ["Applications received 2555, answered 1100 Staff 224"]
    assert [b.text for b in read_pdf(no_font, "no-font.pdf").blocks] == expected


# --- file names ---------------------------------------------------------------------------------------


def test_file_name_with_a_line_break_still_one_line(tmp_path):
    """The name is printed escaped (validator/cli.py used to print it raw: two lines for one input)."""
    path = tmp_path / "report\nfinal.txt"
    path.write_text("春眠不觉晓，处处闻啼鸟。\n", encoding="utf-8")
    result = run(path)
    assert result.exit_code == 2
    assert result.stderr == f"validate: error: {tmp_path}/report\\nfinal.txt: {NOT_A_REPORT}\n"
