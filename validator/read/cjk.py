"""Joining text pieces the way Chinese is written: no space between CJK characters, one otherwise."""

from __future__ import annotations

import unicodedata


def wide(ch: str) -> bool:
    """A full-width character (CJK, full-width punctuation)."""
    return unicodedata.east_asian_width(ch) in {"W", "F"}


def join_pieces(parts: list[str]) -> str:
    """Join wrapped pieces of a label or a cell: nothing between two CJK characters, a space otherwise."""
    out = ""
    for part in parts:
        if not part:
            continue
        if out and not (wide(out[-1]) and wide(part[0])):
            out += " "
        out += part
    return out
