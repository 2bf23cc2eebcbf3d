"""``validate extract``: every figure of every report, one row each — a dataset researchers can load.

Columns: report, template, year, body, key, label, value, decimals, state, unit, source, line,
column, page, text, context, where. Reports are read in worker processes and written chunk by chunk,
so memory does not grow with the number of reports.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from validator.errors import InputError

COLUMNS_FRONT = ["report", "template", "year", "body"]


def export_figures(paths: list[str], template: str = "auto") -> tuple[Any, list[tuple[str, str]]]:
    """All figures as one frame, and (path, problem) for unreadable files (for small inputs and tests)."""
    import pandas as pd

    frames, errors = [], []
    for frame, errs in figure_chunks(paths, template, jobs=1):
        frames.append(frame)
        errors.extend(errs)
    return pd.concat(frames, ignore_index=True) if frames else _empty(), errors


def figure_chunks(paths: list[str], template: str = "auto", jobs: int = 1,
                  chunk: int = 48) -> Iterator[tuple[Any, list[tuple[str, str]]]]:
    """Frames of figures, one per chunk of reports, in input order."""
    chunks = [paths[i:i + chunk] for i in range(0, len(paths), chunk)]
    if jobs <= 1 or len(chunks) <= 1:
        yield from (_frame(c, template) for c in chunks)
        return
    from concurrent.futures import ProcessPoolExecutor

    with ProcessPoolExecutor(max_workers=jobs) as pool:
        futures = [pool.submit(_frame, c, template) for c in chunks]
        for f in futures:
            yield f.result()


def _frame(paths: list[str], template: str) -> tuple[Any, list[tuple[str, str]]]:
    import pandas as pd

    from validator.detect import choose_template, detect_year_body
    from validator.extract import extract
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
            frame = extract(doc, ruleset, body=body, year=year).frame()
        except InputError as e:
            errors.append((path, e.problem))
            continue
        except Exception as e:  # one bad report must not stop the dataset
            errors.append((path, f"internal error while reading it ({type(e).__name__}: {e})"))
            continue
        frame.insert(0, "body", body)
        frame.insert(0, "year", year)
        frame.insert(0, "template", ruleset.template)
        frame.insert(0, "report", path)
        frames.append(frame)
    if not frames:
        return _empty(), errors
    out = pd.concat(frames, ignore_index=True)
    out["year"] = out["year"].astype("Int64")
    out["page"] = out["page"].astype("Int64")
    out["value"] = out["value"].astype(float)
    return out, errors


def _empty() -> Any:
    import pandas as pd

    from validator.extract.figures import COLUMNS

    return pd.DataFrame(columns=[*COLUMNS_FRONT, *COLUMNS])
