"""Waivers: findings someone has looked at and accepted, named by fingerprint.

A waiver file is YAML or JSON (read as JSON when its content starts with ``{`` or ``[`` and
parses as JSON; YAML otherwise). The list may also stand alone, without the ``waivers:`` key::

    waivers:
      - fingerprint: 3f1c0a9e5b2d4c6f8a10   # from any output format
        reason: 专职、兼职人员有交叉，已向发布机关核实
        rule: O6                            # optional, for people reading the file
        path: "samples/*.txt"               # optional glob: only reports whose path matches

A waived finding stays in every output, marked with its reason, but no longer counts (see
``ReportResult.counts``). Waivers that match nothing are returned as stale.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, replace
from fnmatch import fnmatchcase
from pathlib import Path
from typing import Any

import yaml

from validator.errors import InputError
from validator.model import Finding, ReportResult

ALLOWED_KEYS = ("fingerprint", "reason", "rule", "path")


@dataclass(frozen=True)
class Waiver:
    """One acknowledged finding: its fingerprint, why it is accepted, and where it applies."""

    fingerprint: str
    reason: str
    rule: str | None = None  # for humans; not used to match (the fingerprint includes the rule)
    path: str | None = None  # a glob on the report path; None applies to every report

    def applies_to(self, report_path: str, finding: Finding) -> bool:
        """Whether this waiver acknowledges ``finding`` in the report at ``report_path``."""
        if finding.fingerprint != self.fingerprint:
            return False
        if self.path is None:
            return True
        return fnmatchcase(_norm_path(report_path), _norm_path(self.path))


class _StringLoader(yaml.SafeLoader):
    """SafeLoader that keeps numbers and dates as strings: an all-digit fingerprint stays text."""


_StringLoader.yaml_implicit_resolvers = {
    first: [
        (tag, regexp)
        for tag, regexp in resolvers
        if tag not in ("tag:yaml.org,2002:int", "tag:yaml.org,2002:float", "tag:yaml.org,2002:timestamp")
    ]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def load_waivers(path: str | os.PathLike[str]) -> list[Waiver]:
    """Read a waiver file; raise ``InputError`` when it is missing or malformed."""
    name = str(path)
    try:
        content = Path(path).read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise InputError(name, "waiver file not found") from None
    except IsADirectoryError:
        raise InputError(name, "is a directory, not a waiver file") from None
    except UnicodeDecodeError:
        raise InputError(name, "waiver file is not UTF-8 text") from None
    except OSError as e:
        raise InputError(name, f"cannot read waiver file ({e.strerror or e})") from None
    data = _parse(name, content)
    if data is None:
        return []
    if isinstance(data, dict):
        unknown = sorted(str(k) for k in data if k != "waivers")
        if unknown:
            raise InputError(name, f"unknown top-level key {unknown[0]!r} (expected 'waivers')")
        entries = data.get("waivers")
        if entries is None:
            return []
    else:
        entries = data
    if not isinstance(entries, list):
        raise InputError(name, "'waivers' must be a list of entries")
    return [_waiver(name, i, entry) for i, entry in enumerate(entries, 1)]


def apply_waivers(results: list[ReportResult], waivers: list[Waiver]) -> list[Waiver]:
    """Mark every finding a waiver applies to as waived (with its reason); return the stale waivers.

    Findings are replaced by copies (``Finding`` is frozen); the first applicable waiver wins.
    A stale waiver is one that applied to no finding of any report.
    """
    used: set[int] = set()
    for report in results:
        if report.error is not None:
            continue
        new: list[Finding] = []
        for finding in report.findings:
            for i, w in enumerate(waivers):
                if w.applies_to(report.path, finding):
                    used.add(i)
                    if finding.waived is None:
                        finding = replace(finding, waived=w.reason)
                    break
            new.append(finding)
        report.findings = new
    return [w for i, w in enumerate(waivers) if i not in used]


def _parse(name: str, content: str) -> Any:
    json_error: json.JSONDecodeError | None = None
    if content.lstrip().startswith(("{", "[")):
        try:
            return json.loads(content)
        except json.JSONDecodeError as e:
            json_error = e  # may still be YAML flow style: {waivers: [{fingerprint: …}]}
    try:
        return yaml.load(content, Loader=_StringLoader)  # a SafeLoader subclass: no arbitrary objects
    except yaml.YAMLError as e:
        if json_error is not None:
            je = json_error
            raise InputError(name, f"invalid JSON at line {je.lineno}, column {je.colno}: {je.msg}") from None
        mark = getattr(e, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark is not None else ""
        problem = getattr(e, "problem", None) or str(e)
        raise InputError(name, f"invalid YAML{where}: {problem}") from None


def _waiver(name: str, i: int, entry: Any) -> Waiver:
    if not isinstance(entry, dict):
        raise InputError(name, f"waiver {i} is not a mapping of fingerprint, reason, rule, path")
    unknown = sorted(str(k) for k in entry if k not in ALLOWED_KEYS)
    if unknown:
        raise InputError(
            name, f"waiver {i} has unknown key {unknown[0]!r} (allowed: {', '.join(ALLOWED_KEYS)})"
        )
    fields: dict[str, str | None] = {}
    for key in ALLOWED_KEYS:
        value = entry.get(key)
        if value is None:
            fields[key] = None
            continue
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            raise InputError(name, f"waiver {i}: {key} must be text")
        fields[key] = str(value).strip()
    fingerprint, reason = fields["fingerprint"], fields["reason"]
    if not fingerprint:
        raise InputError(name, f"waiver {i} has no fingerprint")
    if not reason:
        raise InputError(name, f"waiver {i} has no reason")
    return Waiver(
        fingerprint=fingerprint, reason=reason, rule=fields["rule"] or None, path=fields["path"] or None
    )


def _norm_path(p: str) -> str:
    p = p.replace("\\", "/")
    while p.startswith("./"):
        p = p[2:]
    return p
