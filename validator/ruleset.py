"""Load and check the declarative rule sets in ``rules/`` (one YAML file per template).

A rule set names the figures of its template (key, printed labels, the narrative's phrases for
them, unit, parent, section) and the rules over them. ``extends: common`` pulls in the narrative
rules every template shares. Errors in a rule file are reported with the file and the entry.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from validator.catalogue import RuleInfo


class RuleSetError(Exception):
    """A rule file that cannot be used: the message names the file and the entry."""


@dataclass(frozen=True)
class FigureDef:
    key: str
    label: str  # the canonical printed label, used in messages
    en: str
    unit: str
    section: str = ""
    parent: str = ""
    labels: tuple[str, ...] = ()  # every printed variant (the canonical label included)
    narrative: tuple[str, ...] = ()  # phrases the narrative uses for it (the labels included)
    decimals_allowed: bool = False  # money may be decimal
    signed: bool = False  # may be negative (本年增/减)


@dataclass(frozen=True)
class RuleDef:
    code: str
    kind: str
    severity: str
    title: str
    title_en: str
    instance: str = ""
    description: str = ""
    description_en: str = ""
    params: dict[str, Any] = field(default_factory=dict, hash=False, compare=False)

    @property
    def ident(self) -> str:
        return f"{self.code}:{self.instance}" if self.instance else self.code


@dataclass(frozen=True)
class Category:
    key: str
    label: str
    patterns: tuple[str, ...]


@dataclass(frozen=True)
class Breakdown:
    """How the narrative's outcome wording maps onto the table's outcome rows."""

    name: str
    total: str
    title: str
    title_en: str
    categories: tuple[Category, ...]


@dataclass
class RuleSet:
    template: str
    title: str
    title_en: str
    years: tuple[int, int]
    markers: tuple[str, ...]
    sections: dict[str, tuple[str, ...]]
    figures: dict[str, FigureDef]
    rules: list[RuleDef]
    breakdowns: list[Breakdown]
    path: str = ""

    def children(self, key: str) -> list[str]:
        return [f.key for f in self.figures.values() if f.parent == key]

    def label(self, key: str, lang: str = "zh") -> str:
        f = self.figures.get(key)
        if f is None:
            return key
        return f.en if lang == "en" and f.en else f.label

    def catalogue(self) -> list[RuleInfo]:
        """One RuleInfo per code, the first instance's title standing for the code."""
        from validator.checks import KINDS

        out: dict[str, RuleInfo] = {}
        for r in self.rules:
            kind = KINDS[r.kind]
            formula = kind(r, self).formula() if hasattr(kind, "formula") else ""
            if r.code in out:
                old = out[r.code]
                out[r.code] = RuleInfo(**{**old.__dict__, "instances": (*old.instances, r.instance or r.code),
                                          "formulas": (*old.formulas, formula) if formula else old.formulas})
                continue
            out[r.code] = RuleInfo(
                code=r.code,
                title=r.title,
                title_en=r.title_en,
                severity=r.severity,
                kind=r.kind,
                templates=(self.template,),
                description=r.description or _kind_summary(kind),
                description_en=r.description_en,
                example_pass=r.params.get("example_pass", getattr(kind, "EXAMPLE_PASS", "")),
                example_fail=r.params.get("example_fail", getattr(kind, "EXAMPLE_FAIL", "")),
                instances=(r.instance or r.code,),
                formulas=(formula,) if formula else (),
            )
        return list(out.values())


def _kind_summary(kind: type) -> str:
    """The first paragraph of a rule kind's module docstring, after its one-line heading."""
    import sys

    doc = (sys.modules[kind.__module__].__doc__ or "").strip()
    paras = [p.strip() for p in doc.split("\n\n") if p.strip()]
    return " ".join(paras[1].split()) if len(paras) > 1 else (paras[0] if paras else "")


def rules_dir() -> Path:
    """The folder of rule files: $VALIDATOR_RULES, else ``rules/`` beside the package."""
    env = os.environ.get("VALIDATOR_RULES")
    if env:
        return Path(env)
    here = Path(__file__).resolve().parent
    for candidate in (here.parent / "rules", here / "rules_data"):
        if candidate.is_dir():
            return candidate
    raise RuleSetError(f"no rules folder found beside {here}")


@cache
def load_ruleset(name: str, folder: str | None = None) -> RuleSet:
    """The rule set of template ``name`` (e.g. ``old-2014``), with what it extends merged in."""
    base = Path(folder) if folder else rules_dir()
    return _build(name, base)


def load_all_rulesets(folder: str | None = None) -> list[RuleSet]:
    base = Path(folder) if folder else rules_dir()
    names = sorted(p.stem for p in base.glob("*.yaml") if p.stem != "common")
    return [load_ruleset(n, str(base)) for n in names]


def template_names(folder: str | None = None) -> list[str]:
    base = Path(folder) if folder else rules_dir()
    return sorted(p.stem for p in base.glob("*.yaml") if p.stem != "common")


def _read_yaml(path: Path) -> dict[str, Any]:
    import yaml

    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError as e:
        raise RuleSetError(f"{path}: no such rule file") from e
    except yaml.YAMLError as e:
        raise RuleSetError(f"{path}: not valid YAML ({e})") from e
    if not isinstance(data, dict):
        raise RuleSetError(f"{path}: a rule file must be a mapping")
    return data


def _build(name: str, base: Path) -> RuleSet:
    from validator.checks import KINDS

    path = base / f"{name}.yaml"
    data = _read_yaml(path)
    raw_rules: list[dict[str, Any]] = []
    parent = data.get("extends")
    if parent:
        raw_rules.extend(_read_yaml(base / f"{parent}.yaml").get("rules") or [])
    raw_rules.extend(data.get("rules") or [])

    figures: dict[str, FigureDef] = {}
    for i, f in enumerate(data.get("figures") or []):
        where = f"{path}: figures[{i}]"
        if not isinstance(f, dict) or "key" not in f or "label" not in f:
            raise RuleSetError(f"{where}: a figure needs at least 'key' and 'label'")
        if f["key"] in figures:
            raise RuleSetError(f"{where}: duplicate figure key {f['key']!r}")
        labels = tuple(dict.fromkeys([f["label"], *(f.get("labels") or [])]))
        figures[f["key"]] = FigureDef(
            key=f["key"],
            label=f["label"],
            en=f.get("en", ""),
            unit=f.get("unit", ""),
            section=f.get("section", ""),
            parent=f.get("parent", ""),
            labels=labels,
            narrative=tuple(f.get("narrative") or []),
            decimals_allowed=bool(f.get("decimals", f.get("unit") in ("元", "万元"))),
            signed=bool(f.get("signed", False)),
        )
    for f in figures.values():
        if f.parent and f.parent not in figures:
            raise RuleSetError(f"{path}: figure {f.key!r} has unknown parent {f.parent!r}")

    rules: list[RuleDef] = []
    titles: dict[str, tuple[str, str, str, str]] = {}
    known = {"code", "kind", "severity", "title", "title_en", "instance", "description", "description_en"}
    for i, r in enumerate(raw_rules):
        where = f"{path}: rules[{i}]"
        if not isinstance(r, dict):
            raise RuleSetError(f"{where}: a rule must be a mapping")
        for req in ("code", "kind", "severity"):
            if req not in r:
                raise RuleSetError(f"{where}: missing {req!r}")
        if r["kind"] not in KINDS:
            raise RuleSetError(f"{where}: unknown rule kind {r['kind']!r} (known: {', '.join(sorted(KINDS))})")
        if r["severity"] not in ("error", "warning", "info"):
            raise RuleSetError(f"{where}: severity must be error, warning or info")
        if "title" in r:
            titles[r["code"]] = (r["title"], r.get("title_en", ""), r.get("description", ""), r.get("description_en", ""))
        title, title_en, desc, desc_en = titles.get(r["code"], ("", "", "", ""))
        if not title:
            raise RuleSetError(f"{where}: rule {r['code']} needs a 'title'")
        rule = RuleDef(
            code=str(r["code"]),
            kind=r["kind"],
            severity=r["severity"],
            title=title,
            title_en=title_en,
            instance=str(r.get("instance", "")),
            description=desc,
            description_en=desc_en,
            params={k: v for k, v in r.items() if k not in known},
        )
        for key in _referenced_keys(rule):
            if key not in figures:
                raise RuleSetError(f"{where}: rule {rule.ident} names unknown figure {key!r}")
        rules.append(rule)

    breakdowns = []
    for i, b in enumerate(data.get("breakdowns") or []):
        cats = tuple(
            Category(c["key"], c.get("label", c["key"]), tuple(c.get("patterns") or [])) for c in b.get("categories") or []
        )
        for c in cats:
            if c.key not in figures:
                raise RuleSetError(f"{path}: breakdowns[{i}] names unknown figure {c.key!r}")
        if b.get("total") not in figures:
            raise RuleSetError(f"{path}: breakdowns[{i}] names unknown total {b.get('total')!r}")
        breakdowns.append(Breakdown(b["name"], b["total"], b.get("title", b["name"]), b.get("title_en", ""), cats))

    years = data.get("years") or [0, 9999]
    sections = {s["id"]: tuple(s.get("labels") or []) for s in data.get("sections") or []}
    return RuleSet(
        template=data.get("template", name),
        title=data.get("title", name),
        title_en=data.get("title_en", ""),
        years=(int(years[0]), int(years[1])),
        markers=tuple(data.get("markers") or []),
        sections=sections,
        figures=figures,
        rules=rules,
        breakdowns=breakdowns,
        path=str(path),
    )


def _referenced_keys(rule: RuleDef) -> list[str]:
    p = rule.params
    keys: list[str] = []
    if isinstance(p.get("total"), str):
        keys.append(p["total"])
    if isinstance(p.get("parts"), list):
        keys.extend(p["parts"])
    for pair in p.get("pairs") or []:
        keys.extend(pair)
    when = p.get("when")
    if isinstance(when, dict) and "key" in when:
        keys.append(when["key"])
    return keys
