"""How a figure came to be printed wrong: the slips that turn a right value into the printed one.

A correction ``printed → right`` is more believable when a common slip explains it: the narrative states
the right value; a total was left at 0 (or blank) while its parts are not; two adjacent digits were
transposed (183 ↔ 138); a digit was dropped or doubled (1383 → 183, 18 → 183); the printed value is the
neighbouring cell's (same grid, next row or column) or another figure's in the narrative; a figure was
left at 0; one digit differs. Otherwise the correction is plain arithmetic.

Reliability works the other way: a figure the narrative restates with the same value is less likely
wrong (a printed total so confirmed, least of all); one the narrative contradicts, more likely.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from types import MappingProxyType
from typing import TYPE_CHECKING

from validator.localise.constraints import System

if TYPE_CHECKING:
    from validator.extract import Extraction

# How much more likely a correction is when the slip explains it than when nothing does.
FACTORS = {
    "narrative": 20.0,
    "zero_total": 10.0,
    "transposition": 8.0,
    "dropped_digit": 6.0,
    "extra_digit": 6.0,
    "neighbour": 4.0,
    "one_digit": 2.0,
    "zero": 1.5,
    "narrative_copy": 1.5,
    "arithmetic": 1.0,
}
CONFIRMED = 1 / 3  # the narrative restates the printed value
CONFIRMED_TOTAL = 1 / 4  # … and it is a total
CONTRADICTED = 2.0  # the narrative states another value for it
MIN_COPY = 10  # below this a value shared with a neighbour is a coincidence, not evidence
MIN_TEXT_COPY = 100  # … and below this, one shared with any of the narrative's figures


@dataclass(frozen=True)
class Slip:
    """The likeliest explanation of one correction, with its reason in Chinese and English."""

    kind: str
    factor: float
    zh: str = ""
    en: str = ""
    also: tuple[str, ...] = ()  # the other slips that explain it too, likeliest first


@dataclass
class Evidence:
    """What the rest of the report says about each variable: the narrative and the neighbouring cells."""

    stated: dict[str, list[Fraction]] = field(default_factory=dict)  # variable → values the narrative states
    stated_by_value: dict[Fraction, list[str]] = field(default_factory=dict)  # value → variables so stated
    # (from ``evidence``, the next five are shared with the layout or the system, and read-only)
    neighbours: Mapping[str, Sequence[str]] = field(default_factory=dict)  # variable → adjacent cells
    totals: set[str] | frozenset[str] = field(default_factory=set)  # variables that are the total of a sum rule
    blank: set[str] | frozenset[str] = field(default_factory=set)  # variables printed blank, 无 or a dash (value 0)
    labels: Mapping[str, tuple[str, str]] = field(default_factory=dict)  # variable → (zh, en) label
    values: Mapping[str, Fraction] = field(default_factory=dict)  # variable → printed value

    def confirmed(self, key: str, value: Fraction) -> bool:
        return value in self.stated.get(key, ())

    def contradicted(self, key: str, value: Fraction) -> bool:
        vals = self.stated.get(key, ())
        return bool(vals) and value not in vals

    def label(self, key: str, lang: str = "zh") -> str:
        zh, en = self.labels.get(key, (key, key))
        return en if lang == "en" and en else zh


def evidence(ex: Extraction, system: System) -> Evidence:
    """The narrative's statements and the table's neighbourhoods of ``system``'s variables.

    Stated values are exact: whole ones as ints (equal, and hashing alike, to the Fractions they stand for,
    and far cheaper to hash and compare), others as Fractions.
    """
    from validator.extract.narrative import COMPATIBLE_UNITS, MONEY

    rs = ex.ruleset
    layout = _layout_part(ex, system)
    # the layout's parts and the system's values shared, not copied: nothing changes them once made
    ev = Evidence(values=MappingProxyType(system.values), neighbours=layout.neighbours, totals=layout.totals,
                  blank=layout.blank, labels=layout.labels)
    values, expansions, figures = system.values, system.expansions, rs.figures
    # which variable a narrative key states, and what else it may mean: the same for every report of a layout
    targets: dict[str, tuple[str, tuple[str, ...]] | None] = (
        system.layout.memo.setdefault("narrative targets", {}) if system.layout is not None else {})
    stated, by_value = ev.stated, ev.stated_by_value
    units: dict[str, str] = {}  # the table's unit of each key, looked up once
    for n in ex.narrative.numbers:
        nk = n.key
        if not nk or n.percent or n.role == "breakdown" or n.approx:
            continue
        target = targets.get(nk, _UNSET)
        if target is _UNSET:
            target = targets[nk] = _target(nk, expansions, values, figures)
        if target is None:
            continue
        key, also = target
        unit = units.get(key)
        if unit is None:
            f = ex.table_figure(key)
            unit = units[key] = (f.unit if f is not None and f.unit else "") or figures[key].unit
        if n.unit and unit in COMPATIBLE_UNITS and n.unit not in COMPATIBLE_UNITS[unit]:
            continue
        v = _decimal(n.value)
        if unit in MONEY or n.unit in MONEY:
            if not (unit in MONEY and n.unit in MONEY):
                continue
            v *= Fraction(MONEY[n.unit]) / Fraction(MONEY[unit])  # (other units: a scale of 1, left out)
            if v.denominator == 1:
                v = v.numerator
        if also and any(a is None or _decimal(a) == v for a in (ex.value(a) for a in also)):
            continue  # the text may mean another reading of the figure (一 + 二 for "共受理")
        got = stated.get(key)
        if got is None:
            stated[key] = [v]
        else:
            got.append(v)
        got = by_value.get(v)
        if got is None:
            by_value[v] = [key]
        else:
            got.append(key)
    return ev


_UNSET: object = object()


def _target(nk: str, expansions: Mapping[str, tuple[tuple[str, int], ...]], values: dict[str, Fraction],
            figures: dict) -> tuple[str, tuple[str, ...]] | None:
    """The variable a narrative figure ``nk`` states (itself, or the one figure a derived one stands for) and its
    ``also`` readings; None when it states none."""
    exp = expansions.get(nk)
    if exp is None:
        key = nk  # not derived: the figure itself
    elif len(exp) != 1 or exp[0][1] != 1:
        return None
    else:
        key = exp[0][0]
    if key not in values:
        return None
    return key, tuple(getattr(figures[nk], "also", ()))


def _decimal(x: float) -> Fraction | int:
    """The number as printed, exactly: a whole one as an int (without parsing its text), else ``Fraction(repr(x))``."""
    x = float(x)
    if x.is_integer() and abs(x) < 2**53:
        return int(x)
    return Fraction(repr(x))


@dataclass(frozen=True)
class _Table:
    """The value-free part of the evidence: labels, blanks, totals and neighbourhoods of the variables."""

    labels: Mapping[str, tuple[str, str]]  # (read-only mappings: every report of the layout shares them)
    blank: frozenset[str]
    totals: frozenset[str]
    neighbours: Mapping[str, tuple[str, ...]]


def _layout_part(ex: Extraction, system: System) -> _Table:
    """``_table`` of the system's layout, made once per layout (each time for a system made by hand)."""
    if system.layout is None:
        return _table(ex, system)
    part = system.layout.memo.get("evidence")
    if part is None:
        part = system.layout.memo["evidence"] = _table(ex, system)
    return part


def _table(ex: Extraction, system: System) -> _Table:
    rs = ex.ruleset
    ev = Evidence()
    for k in system.values:
        ev.labels[k] = (rs.label(k), rs.label(k, "en"))
        f = ex.table_figure(k)
        if f is not None and f.state != "value":
            ev.blank.add(k)
    for c in system.constraints:
        if c.kind == "sum":
            ev.totals.update(k for k, r in c.roles if r == "total")
    _neighbours(ex, system, ev)
    return _Table(MappingProxyType(ev.labels), frozenset(ev.blank), frozenset(ev.totals),
                  MappingProxyType({k: tuple(near) for k, near in ev.neighbours.items()}))


def _neighbours(ex: Extraction, system: System, ev: Evidence) -> None:
    rs = ex.ruleset
    grids = {g.id: g for g in rs.grids}
    order = [f.key for f in ex.table if f.key in system.values]
    position = {k: i for i, k in enumerate(order)}
    for k in system.values:
        fdef = rs.figures[k]
        near: list[str] = []
        g = grids.get(fdef.grid)
        if g is not None:
            rows = [r.id for r in g.rows]
            cols = [c.id for c in g.columns]
            if fdef.row in rows and fdef.col in cols:
                ri, ci = rows.index(fdef.row), cols.index(fdef.col)
                for r2, c2 in ((ri - 1, ci), (ri + 1, ci), (ri, ci - 1), (ri, ci + 1)):
                    if 0 <= r2 < len(rows) and 0 <= c2 < len(cols):
                        near.append(g.key(rows[r2], cols[c2]))
        elif k in position:
            i = position[k]
            near = [order[j] for j in (i - 1, i + 1) if 0 <= j < len(order)]
        ev.neighbours[k] = [n for n in near if n in system.values]


def reliability(key: str, value: Fraction, ev: Evidence) -> float:
    """How much likelier than an unremarkable figure this printed figure is to be the wrong one."""
    stated = ev.stated.get(key)  # ev.confirmed and ev.contradicted, with one look-up
    if not stated:
        return 1.0
    if value in stated:
        return CONFIRMED_TOTAL if key in ev.totals else CONFIRMED
    return CONTRADICTED


def _digits(v: Fraction) -> str | None:
    return str(v.numerator) if v.denominator == 1 and v >= 0 else None


def _one_dropped(longer: str, shorter: str) -> int | None:
    """The position of the digit of ``longer`` whose removal gives ``shorter``, if one does."""
    if len(longer) != len(shorter) + 1:
        return None
    for i in range(len(longer)):
        if longer[:i] + longer[i + 1:] == shorter:
            return i
    return None


def fmt(v: Fraction | float | int | None) -> str:
    """224, 30.69, -3: a value as printed."""
    if v is None:
        return "—"
    if type(v) is int:
        return str(v)
    f = v if isinstance(v, Fraction) else Fraction(v) if not isinstance(v, float) else Fraction(repr(v))
    if f.denominator == 1:
        return str(f.numerator)
    return f"{float(f):.6f}".rstrip("0").rstrip(".")


def classify(key: str, old: Fraction, new: Fraction, ev: Evidence, kinds: list[str] | None = None) -> Slip:
    """The likeliest slip that turns the right value ``new`` into the printed ``old`` (``kinds``: its
    ``slip_kinds``, when they are known)."""
    # whole values as ints: every use below is by value (and fmt prints both alike), and int arithmetic is fast
    if type(old) is Fraction and old.denominator == 1:
        old = old.numerator
    if type(new) is Fraction and new.denominator == 1:
        new = new.numerator
    if kinds is None:
        kinds = _kinds(key, old, new, ev)
    if not kinds:
        return Slip("arithmetic", FACTORS["arithmetic"])
    o, n = fmt(old), fmt(new)
    found = [_slip(kind, key, old, new, o, n, ev) for kind in kinds]
    found.sort(key=lambda s: -s.factor)
    best, rest = found[0], found[1:]
    if rest and rest[0].kind != "one_digit":  # a second explanation worth a mention
        return Slip(best.kind, best.factor, f"{best.zh}；{rest[0].zh}", f"{best.en}; {rest[0].en}",
                    tuple(s.kind for s in rest))
    return Slip(best.kind, best.factor, best.zh, best.en, tuple(s.kind for s in rest))


def slip_kinds(key: str, old: Fraction, new: Fraction, ev: Evidence) -> list[str]:
    """Every slip that turns the right value ``new`` into the printed ``old``, in a fixed order."""
    if type(old) is Fraction and old.denominator == 1:
        old = old.numerator
    if type(new) is Fraction and new.denominator == 1:
        new = new.numerator
    return _kinds(key, old, new, ev)


def kinds_factor(kinds: list[str]) -> float:
    """The factor of the likeliest of ``kinds`` (the slips ``slip_kinds`` found): ``classify``'s factor, without
    writing the reasons (ranking the candidates needs no more; only the few shown need their texts)."""
    return max([FACTORS[k] for k in kinds]) if kinds else FACTORS["arithmetic"]


def _kinds(key: str, old: Fraction | int, new: Fraction | int, ev: Evidence) -> list[str]:
    """Every slip that turns ``new`` into the printed ``old`` (whole values given as ints), in a fixed order."""
    found: list[str] = []
    if new in ev.stated.get(key, ()):
        found.append("narrative")
    if old == 0 and new != 0:
        found.append("zero_total" if key in ev.totals else "zero")
    a, b = _digits(old), _digits(new)
    if a is not None and b is not None:
        # transposed: two adjacent digits swapped; one digit: one differs; dropped/extra: one digit more or less
        la, lb = len(a), len(b)
        if la == lb:
            diff = [i for i in range(la) if a[i] != b[i]]
            if len(diff) == 2:
                i, j = diff
                if j == i + 1 and a[i] == b[j] and a[j] == b[i]:
                    found.append("transposition")
            elif len(diff) == 1 and la > 1:
                found.append("one_digit")
        elif lb == la + 1:
            if la >= 2 and _one_dropped(b, a) is not None:
                found.append("dropped_digit")
        elif la == lb + 1 and lb >= 2 and _one_dropped(a, b) is not None:
            found.append("extra_digit")
    if abs(old) >= MIN_COPY and old != new:
        if _near(key, old, ev):
            found.append("neighbour")
        if abs(old) >= MIN_TEXT_COPY and _copied_from(key, old, ev):
            found.append("narrative_copy")
    return found


def _near(key: str, old: Fraction | int, ev: Evidence) -> list[str]:
    """The neighbouring cells printing the value ``old`` too."""
    return [k for k in ev.neighbours.get(key, ()) if ev.values.get(k) == old]


def _copied_from(key: str, old: Fraction | int, ev: Evidence) -> list[str]:
    """The other figures the narrative states as ``old``, when it does not state ``key`` so."""
    by_value = ev.stated_by_value.get(old, ())
    return [] if key in by_value else [k for k in by_value if k != key]


def _slip(kind: str, key: str, old: Fraction | int, new: Fraction | int, o: str, n: str, ev: Evidence) -> Slip:
    """The slip of ``kind`` (one ``_kinds`` found) with its reasons; ``o`` and ``n`` are the values printed."""
    factor = FACTORS[kind]
    if kind == "narrative":
        return Slip(kind, factor, f"正文为 {n}", f"the narrative states {n}")
    if kind in ("zero_total", "zero"):
        left = "空白" if key in ev.blank else "为 0 "
        left_en = "blank" if key in ev.blank else "at 0"
        if kind == "zero_total":
            return Slip(kind, factor, f"总计{left}而其分项之和为 {n}，像是漏填了总计",
                        f"the total was left {left_en} while its parts add up to {n}")
        return Slip(kind, factor, f"此项{left}，像是漏填", f"it was left {left_en}")
    if kind == "transposition":
        return Slip(kind, factor, f"{n} 的相邻两位数字颠倒成了 {o}", f"adjacent digits transposed: {n} printed as {o}")
    if kind == "dropped_digit":
        return Slip(kind, factor, f"{n} 漏了一位数字，印成 {o}", f"a digit dropped: {n} printed as {o}")
    if kind == "extra_digit":
        a, b = _digits(old), _digits(new)
        i = _one_dropped(a, b)
        doubled = (i > 0 and a[i - 1] == a[i]) or (i + 1 < len(a) and a[i + 1] == a[i])
        return Slip(kind, factor, f"{n} {'重复' if doubled else '多'}了一位数字，印成 {o}",
                    f"a digit {'doubled' if doubled else 'added'}: {n} printed as {o}")
    if kind == "one_digit":
        return Slip(kind, factor, f"{o} 与 {n} 只差一位数字", f"a single digit differs ({o} for {n})")
    if kind == "neighbour":
        near = _near(key, old, ev)
        return Slip(kind, factor, f"{o} 与相邻的“{ev.label(near[0])}”相同，像是抄错了格",
                    f"{o} is the neighbouring {ev.label(near[0], 'en')}: copied from the wrong cell")
    others = _copied_from(key, old, ev)  # narrative_copy
    return Slip(kind, factor, f"{o} 是正文中“{ev.label(others[0])}”的数字，像是抄自正文",
                f"{o} is the narrative's {ev.label(others[0], 'en')}: copied from the text")


def propose(key: str, old: Fraction, ev: Evidence) -> list[Fraction]:
    """Values worth trying when the rules leave a value free: the narrative's, and ``old`` with digits swapped.

    Dropped or doubled digits are not proposed: nearly any range holds one of them, so they would say
    more about the range than about the figure.
    """
    out: list[Fraction] = [Fraction(v) for v in ev.stated.get(key, ())]  # (whole ones are stated as ints)
    a = _digits(old)
    if a is not None:
        for i in range(len(a) - 1):
            if a[i] != a[i + 1] and not (i == 0 and a[1] == "0"):
                out.append(Fraction(int(a[:i] + a[i + 1] + a[i] + a[i + 2:])))
    return [v for v in dict.fromkeys(out) if v != old]
