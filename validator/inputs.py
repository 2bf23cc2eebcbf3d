"""Turn the command line's paths (files, folders, globs) into the list of report files."""

from __future__ import annotations

import glob
from pathlib import Path

from validator.read import SUFFIXES


def expand_paths(paths: list[str]) -> tuple[list[str], list[tuple[str, str]]]:
    """Report files in a stable order, and (path, problem) for arguments that name nothing usable.

    A file named explicitly is always taken (its content decides the format); inside folders and
    globs only files with a report suffix are.
    """
    files: list[str] = []
    problems: list[tuple[str, str]] = []
    for arg in paths:
        p = Path(arg)
        if p.is_dir():
            found = sorted(str(f) for f in p.rglob("*") if f.is_file() and f.suffix.lower() in SUFFIXES)
            if not found:
                problems.append((arg, "is a directory with no report files (.txt .md .html .pdf .docx) in it"))
            files.extend(found)
        elif p.exists():
            files.append(arg)
        elif any(ch in arg for ch in "*?["):
            found = sorted(f for f in glob.glob(arg, recursive=True)
                           if Path(f).is_file() and Path(f).suffix.lower() in SUFFIXES)
            if not found:
                problems.append((arg, "matches no report files"))
            files.extend(found)
        else:
            problems.append((arg, "no such file"))
    return list(dict.fromkeys(files)), problems
