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
    blank: str = "unknown"  # what a blank cell means: "unknown" (not filled in) or "zero"
    prefer: str = ""  # derived: this figure's value when it was printed…
    sum_of: tuple[str, ...] = ()  # …else (or always, without prefer) the sum of these
    optional: tuple[str, ...] = ()  # parts of sum_of that may be absent (alternative forms of a row)
    also: tuple[str, ...] = ()  # other figures a narrative restatement may equally mean (一 or 一 + 二)
    exclude: tuple[str, ...] = ()  # words that, in the same sentence, mean the text speaks of something else
    grid: str = ""  # for grid cells: the grid, row and column ids
    row: str = ""
    col: str = ""

    @property
    def derived(self) -> bool:
        return bool(self.sum_of)


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
class GridColumn:
    id: str
    labels: tuple[str, ...]  # header paths such as "行政诉讼/复议后起诉/结果维持"
    blank: str = "zero"


@dataclass(frozen=True)
class GridRow:
    id: str
    labels: tuple[str, ...]
    group: str = ""


@dataclass(frozen=True)
class Grid:
    """A two-dimensional statistics table: every cell is the figure ``{grid}.{row}.{col}``."""

    id: str
    title: str
    anchors: tuple[str, ...]  # text printed in (or just above) the table that identifies it
    columns: tuple[GridColumn, ...]
    rows: tuple[GridRow, ...]
    groups: dict[str, tuple[str, ...]]  # group id → its printed labels
    optional_rows: tuple[str, ...] = ()  # rows a report may not print (alternative forms of a row)

    def key(self, row: str, col: str) -> str:
        return ".".join(p for p in (self.id, row, col) if p)


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
    grids: list[Grid] = field(default_factory=list)
    regional: bool = False  # a regional variant: never "the wrong template for the year"
    _memo: dict[str, Any] = field(default_factory=dict, init=False, repr=False, compare=False)  # (a copy starts afresh)

    def memo(self, name: str, build: Any) -> Any:
        """An object derived from this rule set (an index, a lookup table), built once per process."""
        if name not in self._memo:
            self._memo[name] = build(self)
        return self._memo[name]

    def __reduce__(self):
        """Pickled by name: a worker process loads (and caches) the same rule set itself."""
        return (load_ruleset, (Path(self.path).stem, str(Path(self.path).parent)))

    def children(self, key: str) -> list[str]:
        return [f.key for f in self.figures.values() if f.parent == key]

    def label(self, key: str, lang: str = "zh") -> str:
        return self.labels(lang).get(key, key)

    def labels(self, lang: str = "zh") -> dict[str, str]:
        """Every figure's label in ``lang`` (English where the figure has one, else the printed label), by key:
        built once, as messages look labels up by the hundred per report."""
        lang = "en" if lang == "en" else "zh"
        held = self._memo.get("labels:" + lang)
        if held is None:
            held = self._memo["labels:" + lang] = {
                k: f.en if lang == "en" and f.en else f.label for k, f in self.figures.items()}
        return held

    def catalogue(self) -> list[RuleInfo]:
        """One RuleInfo per code, the first instance's title standing for the code."""
        from validator.checks import KINDS

        out: dict[str, RuleInfo] = {}
        for r in self.rules:
            if r.params.get("hint"):
                continue
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
    return _package_rules()


@cache
def _package_rules() -> Path:
    """``rules/`` beside the package (a checkout), or the copy installed in it; found once per process."""
    here = Path(__file__).resolve().parent
    for candidate in (here.parent / "rules", here / "rules_data"):
        if candidate.is_dir():
            return candidate
    raise RuleSetError(f"no rules folder found beside {here}")


@cache
def load_ruleset(name: str, folder: str | None = None) -> RuleSet:
    """The rule set of template ``name`` (e.g. ``old-2014``), with what it extends merged in."""
    base = Path(folder) if folder else rules_dir()
    return _load(name, base)


def _load(name: str, base: Path) -> RuleSet:
    """Built from the YAML, or taken from the on-disk cache of built rule sets while no rule file
    (and not this module) has changed since: a cold start then skips building hundreds of figures."""
    import pickle

    key = f"{base.resolve()}/{name}"
    try:
        stamp = _built_stamp(base)
    except OSError:
        return _build(name, base)
    cache_map = _built_cache()
    held = cache_map.get(key)
    if held is not None and held[0] == stamp:
        try:
            ruleset = object.__new__(RuleSet)
            ruleset.__dict__.update(pickle.loads(held[1]), _memo={})
            return ruleset
        except Exception:  # a cache another version wrote: build instead
            pass
    ruleset = _build(name, base)
    state = {k: v for k, v in vars(ruleset).items() if k != "_memo"}
    cache_map[key] = (stamp, pickle.dumps(state, protocol=pickle.HIGHEST_PROTOCOL))
    _write_cache(_cache_file("rules-built.pickle"), cache_map)
    return ruleset


def _built_stamp(base: Path) -> tuple:
    """What a built rule set depends on: every rule file of the folder, and this module."""
    files = sorted(base.glob("*.yaml")) + [Path(__file__)]
    return tuple((str(p), st.st_mtime_ns, st.st_size) for p in files for st in [p.stat()])


@cache
def _built_cache() -> dict[str, Any]:
    return _read_cache(_cache_file("rules-built.pickle"))


def load_all_rulesets(folder: str | None = None) -> list[RuleSet]:
    base = Path(folder) if folder else rules_dir()
    return [load_ruleset(n, str(base)) for n in template_names(str(base))]


@cache
def template_names(folder: str | None = None) -> list[str]:
    """The selectable templates: every rule file except the shared parts (``abstract: true``)."""
    base = Path(folder) if folder else rules_dir()
    return sorted(p.stem for p in base.glob("*.yaml") if not _read_yaml(p).get("abstract"))


@cache
def _read_yaml(path: Path) -> dict[str, Any]:
    """A rule file's YAML, from a small on-disk cache while the file is unchanged (cold starts stay fast)."""
    try:
        st = path.stat()
    except FileNotFoundError as e:
        raise RuleSetError(f"{path}: no such rule file") from e
    stamp = (str(path.resolve()), st.st_mtime_ns, st.st_size)
    cached = _disk_cache().get(stamp[0])
    if cached is not None and tuple(cached[0]) == stamp:
        return cached[1]
    data = _parse_yaml(path)
    _remember(stamp, data)
    return data


def _parse_yaml(path: Path) -> dict[str, Any]:
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when available
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=loader)
    except yaml.YAMLError as e:
        raise RuleSetError(f"{path}: not valid YAML ({e})") from e
    if not isinstance(data, dict):
        raise RuleSetError(f"{path}: a rule file must be a mapping")
    return data


def _cache_file(name: str = "rules-yaml.pickle") -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "gov-report-validator" / name


@cache
def _disk_cache() -> dict[str, Any]:
    return _read_cache(_cache_file())


def _read_cache(path: Path) -> dict[str, Any]:
    import pickle

    try:
        with path.open("rb") as fh:
            data = pickle.load(fh)
        return data if isinstance(data, dict) else {}
    except Exception:  # no cache yet, or one this version cannot read: build from the YAML
        return {}


def _remember(stamp: tuple[str, int, int], data: dict[str, Any]) -> None:
    cache_map = _disk_cache()
    cache_map[stamp[0]] = (stamp, data)
    _write_cache(_cache_file(), cache_map)


_CACHE_ENTRIES = 32


def _write_cache(target: Path, cache_map: dict[str, Any]) -> None:
    """Replace the cache file at once (a reader never sees half of it); a read-only home just has no cache."""
    import pickle
    import tempfile

    on_disk = _read_cache(target)  # (what another process wrote since this one read it: kept, not overwritten)
    merged = {**on_disk, **cache_map}
    cache_map.clear()
    cache_map.update(merged)
    for key in [k for k in cache_map if not Path(k).parent.is_dir()]:
        del cache_map[key]  # rule folders that are gone (a test's temporary folder)
    for key in list(cache_map)[:-_CACHE_ENTRIES]:
        del cache_map[key]  # the oldest first
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=target.parent, suffix=".tmp")
        with os.fdopen(fd, "wb") as fh:
            pickle.dump(cache_map, fh)
        os.replace(tmp, target)
    except OSError:
        pass


def _merged(name: str, base: Path, seen: tuple[str, ...] = ()) -> dict[str, Any]:
    """The raw YAML of ``name`` with everything it extends merged in, parents first."""
    if name in seen:
        raise RuleSetError(f"{base / name}.yaml: extends itself ({' → '.join((*seen, name))})")
    data = _read_yaml(base / f"{name}.yaml")
    parents = data.get("extends") or []
    if isinstance(parents, str):
        parents = [parents]
    merged: dict[str, Any] = {k: [] for k in ("figures", "grids", "derived", "rules", "breakdowns", "sections")}
    for parent in parents:
        pdata = _merged(parent, base, (*seen, name))
        for k in merged:
            merged[k].extend(pdata.get(k) or [])
    for k in list(merged):
        merged[k].extend(data.get(k) or [])
    for k, v in data.items():
        if k not in merged and k != "extends":
            merged[k] = v
    return merged


def _figure(f: dict[str, Any], where: str) -> FigureDef:
    if not isinstance(f, dict) or "key" not in f or "label" not in f:
        raise RuleSetError(f"{where}: a figure needs at least 'key' and 'label'")
    labels = tuple(dict.fromkeys([f["label"], *(f.get("labels") or [])]))
    return FigureDef(
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
        blank=f.get("blank", "unknown"),
        prefer=f.get("prefer", ""),
        sum_of=tuple(f.get("sum") or ()),
        optional=tuple(f.get("optional") or ()),
        also=tuple(f.get("also") or ()),
        exclude=tuple(str(w) for w in f.get("exclude") or ()),
        grid=f.get("grid", ""),
        row=f.get("row", ""),
        col=f.get("col", ""),
    )


def _grid(g: dict[str, Any], where: str) -> tuple[Grid, list[dict[str, Any]]]:
    """A grid and the figure entries of its cells, row totals and group totals."""
    for req in ("id", "columns", "rows"):
        if req not in g:
            raise RuleSetError(f"{where}: a grid needs {req!r}")
    cols = tuple(GridColumn(c["id"], tuple(c.get("labels") or [c["id"]]), c.get("blank", "zero")) for c in g["columns"])
    rows = tuple(GridRow(r.get("id", ""), tuple(r.get("labels") or []), r.get("group", "")) for r in g["rows"])
    groups = {gr["id"]: tuple(gr.get("labels") or []) for gr in g.get("groups") or []}
    grid = Grid(g["id"], g.get("title", g["id"]), tuple(g.get("anchors") or []), cols, rows, groups,
                tuple(g.get("optional_rows") or []))
    unit = g.get("unit", "件")
    total_col = g.get("total_column", "")
    figs: list[dict[str, Any]] = []
    row_defs = {r.get("id", ""): r for r in g["rows"]}
    for r in rows:
        rd = row_defs[r.id]
        rlabel = rd.get("label", r.labels[0] if r.labels else grid.title)
        for c in cols:
            cdef = next(x for x in g["columns"] if x["id"] == c.id)
            clabel = cdef.get("label", c.labels[0].split("/")[-1])
            label = f"{rlabel}（{clabel}）" if r.labels else clabel
            en = f"{rd.get('en', r.id)} ({cdef.get('en', c.id)})" if r.labels else cdef.get("en", c.id)
            figs.append({"key": grid.key(r.id, c.id), "label": label, "en": en, "unit": cdef.get("unit", unit),
                         "blank": c.blank, "grid": grid.id, "row": r.id, "col": c.id,
                         "signed": bool(cdef.get("signed", False)), "decimals": cdef.get("decimals", False),
                         "narrative": _cell_narrative(cdef.get("narrative") or [], rd.get("names") or list(r.labels)),
                         "exclude": rd.get("exclude") or []})
        if total_col:
            # the row's total as the narrative would state it: the printed 总计, else the sum of the row
            parts = [grid.key(r.id, c.id) for c in cols if c.id != total_col]
            figs.append({"key": grid.key(r.id, "all"), "label": rlabel, "en": rd.get("en", r.id), "unit": unit,
                         "prefer": grid.key(r.id, total_col), "sum": parts,
                         "narrative": rd.get("narrative") or [], "also": rd.get("also") or [],
                         "exclude": rd.get("exclude") or []})
    if total_col:
        for gid, glabels in groups.items():
            gdef = next(x for x in g["groups"] if x["id"] == gid)
            members = [grid.key(r.id, "all") for r in rows if r.group == gid]
            if not members:
                raise RuleSetError(f"{where}: group {gid!r} has no rows")
            optional = [grid.key(r, "all") for r in gdef.get("optional") or []]
            figs.append({"key": f"{grid.id}.{gid}.all", "label": gdef.get("label", glabels[0] if glabels else gid),
                         "en": gdef.get("en", gid), "unit": unit, "sum": members, "optional": optional,
                         "narrative": gdef.get("narrative") or []})
    return grid, figs


def _cell_narrative(templates: list[str], names: list[str]) -> list[str]:
    """A column's narrative phrases for one row: "制发{row}" with 规章 → "制发规章"."""
    out: list[str] = []
    for t in templates:
        out.extend(t.replace("{row}", n) for n in names) if "{row}" in t else out.append(t)
    return out


def _expand_rule(r: dict[str, Any], figures: dict[str, FigureDef], grids: dict[str, Grid]) -> list[dict[str, Any]]:
    """``for_each: {col: [a, b]}`` → one rule per value, with ``{col}`` substituted everywhere.

    ``parts: {grid: t3, group: [results…], col: "{col}"}`` → the keys of those rows in that column.
    """
    fe = r.get("for_each")
    if not fe:
        return [_resolve_parts(r, grids)]
    (var, values), = fe.items()
    if isinstance(values, dict) and "grid" in values:  # every row or column id of a grid
        grid = grids[values["grid"]]
        values = [x.id for x in (grid.columns if values.get("of") == "columns" else grid.rows)
                  if x.id not in set(values.get("except") or [])]
    out = []
    for v in values:
        inst = {k: _subst(val, var, v) for k, val in r.items() if k != "for_each"}
        inst.setdefault("instance", str(v))
        out.append(_resolve_parts(inst, grids))
    return out


def _subst(val: Any, var: str, v: str) -> Any:
    if isinstance(val, str):
        return val.replace("{" + var + "}", str(v))
    if isinstance(val, list):
        return [_subst(x, var, v) for x in val]
    if isinstance(val, dict):
        return {_subst(k, var, v): _subst(x, var, v) for k, x in val.items()}
    return val


def _resolve_parts(r: dict[str, Any], grids: dict[str, Grid]) -> dict[str, Any]:
    for field_name in ("parts", "left", "right"):
        spec = r.get(field_name)
        if isinstance(spec, dict) and "grid" in spec:
            grid = grids[spec["grid"]]
            groups = spec.get("groups") or []
            rows = [row.id for row in grid.rows if (row.group in groups if groups else True)
                    and row.id not in set(spec.get("except") or [])]
            r = {**r, field_name: [grid.key(row, spec["col"]) for row in rows]}
    return r


def _build(name: str, base: Path) -> RuleSet:
    from validator.checks import KINDS

    path = base / f"{name}.yaml"
    data = _merged(name, base)

    figures: dict[str, FigureDef] = {}
    grids: dict[str, Grid] = {}
    entries: list[tuple[str, dict[str, Any]]] = [(f"{path}: figures[{i}]", f) for i, f in enumerate(data["figures"])]
    for i, g in enumerate(data["grids"]):
        grid, figs = _grid(g, f"{path}: grids[{i}]")
        if grid.id in grids:
            raise RuleSetError(f"{path}: grids[{i}]: duplicate grid {grid.id!r}")
        grids[grid.id] = grid
        entries += [(f"{path}: grids[{i}] ({grid.id})", f) for f in figs]
    entries += [(f"{path}: derived[{i}]", f) for i, f in enumerate(data["derived"])]
    for where, f in entries:
        fig = _figure(f, where)
        if fig.key in figures:
            raise RuleSetError(f"{where}: duplicate figure key {fig.key!r}")
        figures[fig.key] = fig
    for f in figures.values():
        if f.parent and f.parent not in figures:
            raise RuleSetError(f"{path}: figure {f.key!r} has unknown parent {f.parent!r}")
        for k in (*f.sum_of, *f.also, *([f.prefer] if f.prefer else [])):
            if k not in figures:
                raise RuleSetError(f"{path}: derived figure {f.key!r} names unknown figure {k!r}")

    raw_rules: list[dict[str, Any]] = []
    for i, r in enumerate(data["rules"]):
        if not isinstance(r, dict):
            raise RuleSetError(f"{path}: rules[{i}]: a rule must be a mapping")
        try:
            raw_rules.extend(_expand_rule(r, figures, grids))
        except KeyError as e:
            raise RuleSetError(f"{path}: rules[{i}]: unknown grid or column {e}") from e

    rules: list[RuleDef] = []
    titles: dict[str, tuple[str, str, str, str]] = {}
    known = {"code", "kind", "severity", "title", "title_en", "instance", "description", "description_en"}
    for i, r in enumerate(raw_rules):
        where = f"{path}: rules[{i}]"
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
    for i, b in enumerate(data["breakdowns"]):
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
    sections = {s["id"]: tuple(s.get("labels") or []) for s in data["sections"]}
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
        grids=list(grids.values()),
        regional=bool(data.get("regional")),
    )


def _referenced_keys(rule: RuleDef) -> list[str]:
    p = rule.params
    keys: list[str] = []
    for single in ("total", "key"):
        if isinstance(p.get(single), str):
            keys.append(p[single])
    for field_name in ("parts", "left", "right", "keys", "current"):
        if isinstance(p.get(field_name), list | dict):
            keys.extend(p[field_name])
    for pair in p.get("pairs") or []:
        keys.extend(pair)
    when = p.get("when")
    if isinstance(when, dict):
        keys.extend([when["key"]] if "key" in when else list(when.get("keys") or []))
    return keys
