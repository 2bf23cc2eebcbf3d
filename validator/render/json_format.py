"""``--format json``: the data contract of ``../shared/design.md``."""

from __future__ import annotations

import json
from typing import Any

from validator import __version__
from validator.model import ReportResult, summary


def to_data(results: list[ReportResult], *, lang: str = "zh") -> dict[str, Any]:
    return {
        "tool": {"name": "validate", "version": __version__},
        "reports": [r.to_dict(lang) for r in results],
        "summary": summary(results),
    }


def render(results: list[ReportResult], *, lang: str = "zh", catalogue: dict[str, Any] | None = None) -> str:
    return json.dumps(to_data(results, lang=lang), ensure_ascii=False, indent=2) + "\n"
