"""Read any supported input into a ``Document``: the format is chosen by content first, then suffix."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from validator.errors import InputError
from validator.read.document import Block, Cell, Document, Position, Table

__all__ = ["Block", "Cell", "Document", "Position", "Table", "read_document", "SUFFIXES"]

SUFFIXES = {".txt", ".text", ".md", ".markdown", ".html", ".htm", ".shtml", ".xhtml", ".pdf", ".docx"}
MAX_BYTES = 200 * 1024 * 1024


def sniff_format(data: bytes, suffix: str) -> str:
    """"pdf", "docx", "html" or "text", from the first bytes and the file name."""
    head = data[:2048].lstrip()
    if head.startswith(b"%PDF"):
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        return "docx"
    if suffix == ".pdf":
        return "pdf"
    if suffix == ".docx":
        return "docx"
    if suffix in {".html", ".htm", ".shtml", ".xhtml"}:
        return "html"
    lowered = head[:1024].lower()
    if suffix not in {".txt", ".text", ".md", ".markdown"} and (
        lowered.startswith(b"<!doctype html") or b"<html" in lowered or b"<table" in lowered
    ):
        return "html"
    return "text"


def read_document(path: str | Path) -> Document:
    """Read ``path`` into a Document, or raise InputError with a one-line reason."""
    name = str(path)
    too_large = f"is too large (%d MB; the limit is {MAX_BYTES // (1024 * 1024)} MB)"
    try:
        try:  # (one system call for what exists, is_dir, is_file and stat would ask four times)
            st = os.stat(name)
        except (FileNotFoundError, NotADirectoryError) as e:
            raise InputError(name, "no such file") from e
        mode, size = st.st_mode, st.st_size
        if stat.S_ISDIR(mode):
            raise InputError(name, "is a directory, not a report file")
        if not stat.S_ISREG(mode):  # /dev/zero, a pipe, a socket: reading it may never end
            raise InputError(name, "is not a regular file (a device, pipe or socket)")
        if size > MAX_BYTES:
            raise InputError(name, too_large % (size // (1024 * 1024)))
        with open(name, "rb") as fh:
            # the file may have grown since: read on past its size, up to the limit (a read of the limit at
            # once would allocate a buffer that large)
            data = fh.read(size + 1)
            if len(data) > size:
                data += fh.read(MAX_BYTES + 1 - len(data))
        if len(data) > MAX_BYTES:
            raise InputError(name, too_large % (len(data) // (1024 * 1024)))
    except PermissionError as e:
        raise InputError(name, "cannot be read (permission denied)") from e
    except OSError as e:
        raise InputError(name, f"cannot be read ({e.strerror or e})") from e
    if not data.strip():
        raise InputError(name, "is empty")
    fmt = sniff_format(data, os.path.splitext(name)[1].lower())
    if fmt == "pdf":
        from validator.read.pdf import read_pdf

        return read_pdf(data, name)
    if fmt == "docx":
        from validator.read.docx import read_docx

        return read_docx(data, name)
    if fmt == "html":
        from validator.read.html import read_html

        return read_html(data, name)
    from validator.read.text import read_text

    return read_text(data, name)
