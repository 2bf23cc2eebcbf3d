"""``validate extract``: every figure of every report as one frame (for inspection and research)."""

from __future__ import annotations

from typing import Any

from validator.errors import InputError


def export_figures(paths: list[str], template: str = "auto") -> tuple[Any, list[tuple[str, str]]]:
    """One row per figure with report, template, year, body; and (path, problem) for unreadable files."""
    import pandas as pd

    from validator.detect import choose_template, detect_year_body
    from validator.extract import extract
    from validator.extract.figures import COLUMNS
    from validator.read import read_document
    from validator.ruleset import load_all_rulesets, load_ruleset

    frames, errors = [], []
    for path in paths:
        try:
            doc = read_document(path)
            year, body = detect_year_body(doc)
            ruleset = load_ruleset(template) if template != "auto" else choose_template(year, doc, load_all_rulesets())[0]
            if ruleset is None:
                raise InputError(path, "no statistics table of a known template was found")
            frame = extract(doc, ruleset).frame()
        except InputError as e:
            errors.append((path, e.problem))
            continue
        frame.insert(0, "body", body)
        frame.insert(0, "year", year)
        frame.insert(0, "template", ruleset.template)
        frame.insert(0, "report", path)
        frames.append(frame)
    if not frames:
        return pd.DataFrame(columns=["report", "template", "year", "body", *COLUMNS]), errors
    return pd.concat(frames, ignore_index=True), errors
