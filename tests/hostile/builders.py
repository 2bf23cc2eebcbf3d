"""Inputs built for the hostile-input tests: damaged Word files, hand-written (and RC4-encrypted) PDFs,
and the check every result must pass."""

from __future__ import annotations

import hashlib
import io
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
SEED = ROOT / "samples" / "000_a81f0d4f916600c6.txt"
SHANGHAI = ROOT / "tests" / "data" / "corpus" / "2019_shanghai-shifuban.html"
CORPUS_PDF = ROOT / "tests" / "data" / "corpus" / "2023_hongzequ.pdf"
W_NS = b'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def assert_one_line_error(result) -> None:
    """A ReportResult whose error, if any, is one short readable line and not a crash of ours."""
    from validator.model import ReportResult

    assert isinstance(result, ReportResult)
    if result.error is None:
        return
    error = result.error
    assert isinstance(error, str) and error.strip()
    assert "\n" not in error and "\r" not in error, error
    assert "Traceback" not in error, error
    assert len(error) < 300, error
    assert "internal error" not in error, error  # an exception in the validator, not a problem of the file


def docx_bytes(paragraphs: list[str] | None = None) -> bytes:
    """A real .docx written by python-docx, one paragraph per item."""
    import docx

    document = docx.Document()
    for text in paragraphs or []:
        document.add_paragraph(text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def replace_parts(docx: bytes, parts: dict[str, bytes | None]) -> bytes:
    """``docx`` with some of its zip members replaced (bytes) or removed (None), others kept."""
    source = zipfile.ZipFile(io.BytesIO(docx))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for info in source.infolist():
            if info.filename in parts:
                if parts[info.filename] is not None:
                    z.writestr(info, parts[info.filename])
            else:
                z.writestr(info, source.read(info.filename))
        for name, data in parts.items():
            if name not in source.namelist() and data is not None:
                z.writestr(name, data)
    return out.getvalue()


def word_document(body: bytes) -> bytes:
    """A word/document.xml with ``body`` inside <w:body>."""
    return b'<?xml version="1.0" encoding="UTF-8"?><w:document ' + W_NS + b"><w:body>" + body + b"</w:body></w:document>"


# --- PDFs ----------------------------------------------------------------------------------------

_PAD = bytes.fromhex("28bf4e5e4e758a4164004e56fffa01082e2e00b6d0683e802f0ca9fe6453697a")
FILE_ID = bytes.fromhex("0123456789abcdef0123456789abcdef")


def text_page(lines: list[str]) -> bytes:
    """A content stream that prints ``lines`` (ASCII) in Helvetica, one under the other."""
    ops = [b"BT /F1 11 Tf 60 780 Td 14 TL"]
    for line in lines:
        ops.append(b"(" + line.encode("ascii").replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")
                   + b") '")
    ops.append(b"ET")
    return b"\n".join(ops)


def build_pdf(content: bytes, *, page_extra: bytes = b"/MediaBox [0 0 595 842]", user_password: bytes | None = None,
              owner_password: bytes = b"owner") -> bytes:
    """One page showing ``content``; with ``user_password`` (b"" for none) the file is RC4-40 encrypted."""
    key = None
    encrypt = b""
    if user_password is not None:
        o_value = _rc4(hashlib.md5(_padded(owner_password)).digest()[:5], _padded(user_password))
        permissions = -4
        key = hashlib.md5(_padded(user_password) + o_value + permissions.to_bytes(4, "little", signed=True)
                          + FILE_ID).digest()[:5]
        u_value = _rc4(key, _PAD)
        encrypt = (b"<< /Filter /Standard /V 1 /R 2 /O <" + o_value.hex().encode() + b"> /U <"
                   + u_value.hex().encode() + b"> /P -4 >>")
    stream = content if key is None else _rc4(_object_key(key, 4), content)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R " + page_extra + b" /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    if encrypt:
        objects.append(encrypt)
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for n, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += str(n).encode() + b" 0 obj\n" + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 " + str(len(objects) + 1).encode() + b"\n0000000000 65535 f \n"
    out += b"".join(b"%010d 00000 n \n" % off for off in offsets)
    out += b"trailer\n<< /Size " + str(len(objects) + 1).encode() + b" /Root 1 0 R"
    if encrypt:
        out += b" /Encrypt " + str(len(objects)).encode() + b" 0 R"
    out += b" /ID [<" + FILE_ID.hex().encode() + b"> <" + FILE_ID.hex().encode() + b">] >>\n"
    out += b"startxref\n" + str(xref).encode() + b"\n%%EOF\n"
    return bytes(out)


def _padded(password: bytes) -> bytes:
    return (password + _PAD)[:32]


def _object_key(key: bytes, number: int, generation: int = 0) -> bytes:
    digest = hashlib.md5(key + number.to_bytes(3, "little") + generation.to_bytes(2, "little")).digest()
    return digest[: min(len(key) + 5, 16)]


def _rc4(key: bytes, data: bytes) -> bytes:
    s = list(range(256))
    j = 0
    for i in range(256):
        j = (j + s[i] + key[i % len(key)]) % 256
        s[i], s[j] = s[j], s[i]
    out = bytearray()
    i = j = 0
    for byte in data:
        i = (i + 1) % 256
        j = (j + s[i]) % 256
        s[i], s[j] = s[j], s[i]
        out.append(byte ^ s[(s[i] + s[j]) % 256])
    return bytes(out)
