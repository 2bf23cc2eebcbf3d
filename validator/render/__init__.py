"""Renderers turn results into one output format each; they know nothing about rules.

Every renderer module has ``render(results, *, lang="zh", catalogue=None) -> str`` where
``results`` is a list of ``ReportResult`` and ``catalogue`` maps rule codes to ``RuleInfo``.
The console renderer writes to a rich Console instead (see ``console.render_console``).
"""

from __future__ import annotations

import importlib
from typing import Any

FORMATS = ("console", "json", "html", "sarif", "junit", "github", "markdown")


def render(fmt: str, results: list[Any], *, lang: str = "zh", catalogue: dict[str, Any] | None = None) -> str:
    """Render ``results`` in ``fmt`` (any of FORMATS but console) and return the text."""
    if fmt not in FORMATS or fmt == "console":
        raise ValueError(f"unknown output format {fmt!r}")
    module = importlib.import_module(f"validator.render.{fmt}_format")
    return module.render(results, lang=lang, catalogue=catalogue)
