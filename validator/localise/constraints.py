"""The arithmetic rules of a rule set as linear constraints over the figures of one report.

Each applicable ``sum``, ``balance`` or ``leq`` rule becomes ``Σ coef·x == 0`` (within the rule's rounding
tolerance) or ``Σ coef·x <= 0`` over figure keys, with derived figures expanded into the printed cells they
stand for. Values are exact fractions, so the solver never meets a rounding error of its own.

A rule applies exactly when the engine would check it: every figure it names has a value (a blank total
left unfilled makes its rule inapplicable; a blank cell whose template meaning is zero is a 0 and a
variable like any other).

All of this but the values depends only on which figures a report prints, how (value, blank, dash …) and
with how many decimals: that part (a ``Layout``) is built once per such pattern of a rule set and shared
by the reports that have it; a report then only reads its values.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from validator.extract import Extraction
    from validator.ruleset import RuleDef, RuleSet

ARITHMETIC_KINDS = ("sum", "balance", "leq")
LAYOUTS = 256  # layouts kept per rule set (then it starts afresh)


@dataclass(frozen=True)
class Constraint:
    """``Σ coef·x  op  0`` for one rule instance (one pair of a ``leq`` rule)."""

    code: str  # the rule code, as its findings carry it (``O6``, ``N2``)
    instance: str  # as its findings carry it: the rule instance, or the part's key for ``leq``
    kind: str  # sum / balance / leq
    coef: tuple[tuple[str, int], ...]  # (variable key, coefficient), in the rule's order
    op: str  # "==" or "<="
    tol: Fraction = Fraction(0)  # half a unit in the last printed place of every rounded term
    roles: tuple[tuple[str, str], ...] = ()  # (variable key, "total" / "part" / "left" / "right")
    terms: tuple[tuple[str, str], ...] = ()  # (figure key as the rule names it, role): for the arithmetic text

    @property
    def ident(self) -> str:
        return f"{self.code}:{self.instance}" if self.instance else self.code

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(k for k, _ in self.coef)

    def role(self, key: str) -> str:
        return dict(self.roles).get(key, "")


@dataclass
class System:
    """The variables of one report (current values, integrality, sign) and the constraints over them."""

    values: dict[str, Fraction]
    constraints: list[Constraint] | tuple[Constraint, ...]  # (a tuple, shared with its layout, from build_system)
    integer: set[str] | frozenset[str] = field(default_factory=set)  # counts: the new value must be whole
    signed: set[str] | frozenset[str] = field(default_factory=set)  # may be negative (本年增/减)
    # figure key → variables (from build_system: the layout's, read-only)
    expansions: Mapping[str, tuple[tuple[str, int], ...]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self._by_var: dict[str, list[int]] | None = None
        self._residuals: list[Fraction] | None = None  # of ``values``, worked out on first use
        self._held: list[bool] | None = None
        self._needed: list[Fraction] | None = None
        self.layout: Layout | None = None  # the value-free part it was built from (None: made by hand)
        self.shape: object = None  # the solver's value-free tables for these constraints, set on first use

    @property
    def by_var(self) -> dict[str, list[int]]:
        """Each variable's constraints, ascending (worked out on first use: a report whose layout has its solver
        tables and components kept needs none)."""
        if self._by_var is None:
            by_var: dict[str, list[int]] = {}
            for i, c in enumerate(self.constraints):
                for k, _ in c.coef:
                    by_var.setdefault(k, []).append(i)
            self._by_var = by_var
        return self._by_var

    @property
    def residuals(self) -> list[Fraction]:
        """Each constraint's ``Σ coef·x`` at the current values (the values must not change afterwards)."""
        if self._residuals is None:
            vals = self.values
            out = []
            for c in self.constraints:
                r = 0  # as sum(): ints stay ints
                for k, a in c.coef:
                    r += a * vals[k]
                out.append(r)
            self._residuals = out
        return self._residuals

    def _holding(self) -> list[bool]:
        """``holds(i)`` of every constraint at the current values, worked out once."""
        if self._held is None:
            memo = self.layout.memo if self.layout is not None else {}
            tests = memo.get("tolerances")
            if tests is None:
                tests = memo["tolerances"] = self._tolerances()  # the constraints only: one per layout
            held = []
            for (tol, equality), r in zip(tests, self.residuals, strict=True):
                held.append(abs(r) <= tol if equality else r <= tol)
            self._held = held
        return self._held

    def _tolerances(self) -> list[tuple[Fraction | int, bool]]:
        """Each constraint's tolerance, and whether it is an equality: a whole tolerance (mostly 0) as an int, which
        compares alike and much faster than a Fraction."""
        out = []
        for c in self.constraints:
            tol = c.tol
            if type(tol) is Fraction and tol.denominator == 1:
                tol = tol.numerator
            out.append((tol, c.op == "=="))
        return out

    @property
    def needed(self) -> list[Fraction]:
        """What each constraint's ``Σ coef·x`` must change by: 0 where it holds already (within its tolerance)."""
        if self._needed is None:
            self._needed = [0 if h else -r for h, r in zip(self._holding(), self.residuals, strict=True)]
        return self._needed

    def residual(self, i: int, values: dict[str, Fraction] | None = None) -> Fraction:
        if not values:
            return self.residuals[i]
        return sum(a * values[k] for k, a in self.constraints[i].coef)  # ints stay ints: fast and exact

    def holds(self, i: int, values: dict[str, Fraction] | None = None) -> bool:
        if not values:
            return self._holding()[i]
        c = self.constraints[i]
        r = self.residual(i, values)
        return abs(r) <= c.tol if c.op == "==" else r <= c.tol

    def violated(self) -> list[int]:
        return [i for i, h in enumerate(self._holding()) if not h]

    def components(self, seeds: list[int]) -> list[list[int]]:
        """The connected components (constraints sharing a variable) that contain the ``seeds``, in order."""
        memo = self.layout.memo if self.layout is not None else {}
        groups = memo.get("components")
        if groups is None:
            groups = memo["components"] = self._groups()  # the constraints only: one per layout
        out, seen = [], set()
        for s in seeds:
            g = groups[s]
            if g[0] not in seen:
                seen.add(g[0])
                out.append(list(g))
        return out

    def _groups(self) -> list[tuple[int, ...]]:
        """Each constraint's connected component, ascending."""
        parent = list(range(len(self.constraints)))

        def find(i: int) -> int:
            while parent[i] != i:
                parent[i] = parent[parent[i]]
                i = parent[i]
            return i

        for idx in self.by_var.values():
            for j in idx[1:]:
                a, b = find(idx[0]), find(j)
                if a != b:
                    parent[max(a, b)] = min(a, b)
        groups: dict[int, list[int]] = {}
        for i in range(len(self.constraints)):
            groups.setdefault(find(i), []).append(i)
        by_root = {root: tuple(g) for root, g in groups.items()}
        return [by_root[find(i)] for i in range(len(self.constraints))]


def exact(value: float) -> Fraction | int:
    """A printed value exactly: a count as an int, 96171.6 as 480858/5 (not the binary float's expansion)."""
    v = float(value)
    if v.is_integer():
        return int(v)
    return Fraction(repr(v)).limit_denominator(10**9)


def variables(ex: Extraction) -> dict[str, Fraction]:
    """Every table cell with an arithmetic value: printed numbers and cells whose blank, dash or 无 means 0."""
    out: dict[str, Fraction] = {}
    for f in ex.table:
        if f.key in out or f.key not in ex.ruleset.figures or ex.ruleset.figures[f.key].derived:
            continue
        v = ex.value(f.key)
        if v is not None:
            out[f.key] = exact(v)
    return out


def expand(key: str, ex: Extraction, values: dict[str, Fraction], _depth: int = 0) -> list[tuple[str, int]] | None:
    """``key`` as a sum of variables: itself, or a derived figure's printed figure or parts (as ``_derive``)."""
    rs = ex.ruleset
    fdef = rs.figures.get(key)
    if fdef is None or _depth > 8:
        return None
    if not fdef.derived:
        return [(key, 1)] if key in values else None
    if fdef.prefer:
        p = ex.table_figure(fdef.prefer)
        if p is not None and p.state == "value" and fdef.prefer in values:
            return [(fdef.prefer, 1)]
    out: list[tuple[str, int]] = []
    found = False
    optional = set(getattr(fdef, "optional", ()))
    for part in fdef.sum_of:
        sub = expand(part, ex, values, _depth + 1)
        if sub is None:
            if part not in optional:
                return None  # as _derive: a sum with a part not read is unknown, not smaller
            continue
        found = True
        out.extend(sub)
    return out if found else None


def _combine(terms: list[tuple[str, int]]) -> tuple[tuple[str, int], ...]:
    coef: dict[str, int] = {}
    for k, a in terms:
        coef[k] = coef.get(k, 0) + a
    return tuple((k, a) for k, a in coef.items() if a != 0)


def _tolerance(ex: Extraction, keys: list[str]) -> Fraction:
    tol = Fraction(0)
    for k in keys:
        f = ex.table_figure(k)
        d = f.decimals if f is not None and f.state == "value" else 0
        if d > 0:
            tol += Fraction(1, 2 * 10**d)
    return tol


def rule_constraints(rule: RuleDef, ruleset: RuleSet, ex: Extraction,
                     values: dict[str, Fraction]) -> list[Constraint]:
    """The constraints of one arithmetic rule on this report ([] where the rule does not apply)."""
    p = rule.params
    sides: list[tuple[list[str], int, str]]
    optional: set[str] = set()
    if rule.kind == "sum":
        parts = p["parts"]
        parts = ruleset.children(p["total"]) if parts == "children" else list(parts)
        optional = set(p.get("optional") or ())  # parts that may be absent (another form of a row)
        sides = [([p["total"]], -1, "total"), (parts, 1, "part")]
        groups = [sides]
    elif rule.kind == "balance":
        groups = [[(list(p["left"]), 1, "left"), (list(p["right"]), -1, "right")]]
    elif rule.kind == "leq":
        groups = [[([a], 1, "part"), ([b], -1, "total")] for a, b in p["pairs"]]
    else:
        return []
    out = []
    for sides in groups:
        terms: list[tuple[str, int]] = []
        roles: dict[str, str] = {}
        named: list[tuple[str, str]] = []
        ok = True
        for keys, sign, role in sides:
            for k in keys:
                sub = expand(k, ex, values)
                if sub is None and k in optional:
                    continue
                if sub is None:
                    ok = False
                    break
                named.append((k, role))
                for v, a in sub:
                    terms.append((v, sign * a))
                    roles.setdefault(v, role)
            if not ok:
                break
        if not ok:
            continue
        coef = _combine(terms)
        if not coef:
            continue
        instance = sides[0][0][0] if rule.kind == "leq" else rule.instance
        out.append(Constraint(code=rule.code, instance=instance, kind=rule.kind, coef=coef,
                              op="<=" if rule.kind == "leq" else "==",
                              tol=Fraction(0) if rule.kind == "leq" else _tolerance(ex, [k for k, _ in named]),
                              roles=tuple(roles.items()), terms=tuple(named)))
    return out


@dataclass(frozen=True)
class Layout:
    """A report's system without its values: what one pattern of printed figures makes of a rule set."""

    keys: tuple[str, ...]  # the variables, in table order
    constraints: tuple[Constraint, ...]
    integer: frozenset[str]
    signed: frozenset[str]
    expansions: Mapping[str, tuple[tuple[str, int], ...]]  # read-only: shared by the layout's systems
    # each variable's figure as its index in ``ex.table`` (None: printed blank, dash or 无, so 0), in ``keys``' order:
    # the pattern a layout is kept by fixes both, so a report reads its values without looking a key up
    slots: tuple[tuple[str, int | None], ...] = ()
    memo: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)  # what others derive from it


def build_system(ex: Extraction) -> System:
    """Every applicable arithmetic rule of ``ex.ruleset`` on ``ex``, as a linear system over its cells."""
    lay = layout(ex)
    values: dict[str, Fraction] = {}
    table = ex.table
    for k, i in lay.slots:
        if i is None:
            values[k] = 0
            continue
        v = float(table[i].value)
        values[k] = int(v) if v.is_integer() else exact(v)  # exact(), its common case inline: a count
    # the layout's parts shared, not copied: all immutable (a tuple, frozensets, a read-only mapping)
    system = System(values=values, constraints=lay.constraints, integer=lay.integer, signed=lay.signed,
                    expansions=lay.expansions)
    system.layout = lay
    return system


def layout(ex: Extraction) -> Layout:
    """The value-free part of ``ex``'s system, shared by the reports that print the same figures the same way."""
    cache = ex.ruleset.memo("localise.layouts", lambda _: {})
    key = (_pattern(ex.table), _pattern(ex.derived))
    lay = cache.get(key)
    if lay is None:
        if len(cache) >= LAYOUTS:
            cache.clear()
        lay = cache[key] = _layout(ex)
    return lay


def _pattern(figures: list) -> tuple:
    """What a layout depends on: each figure's key, state, decimals and whether it has a value, in order."""
    return tuple([(f.key, f.state, f.decimals, f.value is None) for f in figures])


def _layout(ex: Extraction) -> Layout:
    rs = ex.ruleset
    values = variables(ex)  # only which keys have a value matters here
    constraints: list[Constraint] = []
    for rule in rs.rules:
        if rule.kind in ARITHMETIC_KINDS:
            constraints.extend(rule_constraints(rule, rs, ex, values))
    integer, signed = set(), set()
    for k in values:
        fdef = rs.figures[k]
        f = ex.table_figure(k)
        if not fdef.decimals_allowed and (f is None or f.decimals == 0):
            integer.add(k)
        if fdef.signed:
            signed.add(k)
    expansions = {}
    for k, fdef in rs.figures.items():
        if fdef.derived and (e := expand(k, ex, values)) is not None:
            expansions[k] = tuple(e)
    first: dict[str, int] = {}
    for i, f in enumerate(ex.table):
        first.setdefault(f.key, i)  # as ``ex.table_figure``: a variable is never derived, so it is a table figure
    slots = tuple((k, i if ex.table[i].state == "value" else None) for k in values for i in (first[k],))
    return Layout(keys=tuple(values), constraints=tuple(constraints), integer=frozenset(integer),
                  signed=frozenset(signed), expansions=MappingProxyType(expansions), slots=slots)
