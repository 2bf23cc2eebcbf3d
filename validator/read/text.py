"""Plain text (and Markdown) input: every non-blank line is a narrative block at its own line.

Tables flattened into text (one cell per line, or one row per line) are recognised later by the
extractor, which knows the template's labels; the reader only decodes and positions.
"""

from __future__ import annotations

from validator.errors import InputError
from validator.read.decode import decode_bytes
from validator.read.document import Block, Document


def read_text(data: bytes, path: str) -> Document:
    text, encoding = decode_bytes(data, path)
    if not text.strip():
        raise InputError(path, "is empty")
    lines = text.split("\n")
    blocks = [Block.at(line, i + 1) for i, line in enumerate(lines) if line.strip()]
    return Document(path=path, format="text", lines=lines, blocks=blocks, encoding=encoding)
