"""What every rule kind shares: the evaluation context, the kind interface, and finding helpers.

A rule kind turns the figures into a frame (one row per thing to check: a report for the table
identities, a statement for the narrative checks), says with one vectorised function which rows
pass, and explains a failing row as a Finding. The engine runs the vectorised functions (the
arithmetic identities directly, the other checks through pandera); the kinds never loop over
reports to decide, only to explain.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar

from validator.model import Finding, Location, Term

if TYPE_CHECKING:
    import pandas as pd

    from validator.extract import Extraction
    from validator.ruleset import RuleDef, RuleSet

DEC = "~dec:"  # prefix of the decimals columns beside the value columns of the wide frame


@dataclass
class Context:
    """The reports being validated together (one ruleset), and their wide frame."""

    ruleset: RuleSet
    extractions: list[Extraction]
    wide: pd.DataFrame  # one row per report: figure values, then DEC+key decimals
    previous: list[Extraction | None] | None = None  # last year's report of the same body, per report
    columns: Columns | None = None  # the wide frame as a matrix, for the compiled rules
    _arrays: dict[int, tuple[Any, dict[str, int], Any, Any]] = field(default_factory=dict, repr=False)
    _shared: dict[Any, Any] = field(default_factory=dict, repr=False)  # see ``shared``

    @classmethod
    def build(cls, ruleset: RuleSet, extractions: list[Extraction],
              previous: list[Extraction | None] | None = None) -> Context:
        """The wide frame: one row per report, a column per figure key, then a decimals column per key."""
        import numpy as np
        import pandas as pd

        from validator.extract import wide_rows

        keys = list(ruleset.figures)
        values, decimals = wide_rows(extractions, keys)
        values = np.array(values, dtype=float).reshape(len(extractions), len(keys))
        decimals = np.array(decimals, dtype=float).reshape(len(extractions), len(keys))
        matrix = np.hstack([values, decimals])
        names = keys + [DEC + k for k in keys]
        wide = pd.DataFrame(matrix, columns=names)
        columns = Columns(matrix, names)
        ctx = cls(ruleset, extractions, wide, previous, columns)
        ctx._arrays[id(wide)] = (wide, columns.index, matrix, wide.index)  # (record: the same matrix, not a copy)
        return ctx

    def shared(self, name: Any, build: Any) -> Any:
        """``build(self)``, made once for these reports: what several rule kinds read (the percentage
        statements, a report's restating numbers) is worked out for the first and handed to the others."""
        if name not in self._shared:
            self._shared[name] = build(self)
        return self._shared[name]

    def restatements(self, report: int) -> list[Any]:
        """Report ``report``'s narrative numbers that may restate a table figure (``restates``): what the restated
        rule compares, and what a table finding cites as where the text repeats its figures. Picked out once
        per report."""
        return self.shared(("restatements", report), lambda ctx: [
            n for n in ctx.extractions[report].narrative.numbers if restates(n)])

    def record(self, df: pd.DataFrame, row: Any) -> Record:
        """Row ``row`` of ``df``, read by column name: what ``df.loc[row]`` gives, without building a Series
        (explaining a failure on the wide frame reads a few of one row's hundreds of columns)."""
        held = self._arrays.get(id(df))
        if held is None or held[0] is not df:
            held = self._arrays[id(df)] = (df, {c: i for i, c in enumerate(df.columns)}, df.to_numpy(), df.index)
        _, columns, values, index = held
        return Record(columns, values[index.get_loc(row)])


class Record:
    """One row of a frame: ``record[column]`` is its value in that column."""

    __slots__ = ("_columns", "_values")

    def __init__(self, columns: dict[str, int], values: Any) -> None:
        self._columns = columns
        self._values = values

    def __getitem__(self, column: str) -> Any:
        return self._values[self._columns[column]]


class Columns:
    """The wide frame's values as one float matrix, columns picked by name (NaN where a figure is missing).

    What the compiled rules compute on: picking a few of its hundreds of columns from a numpy matrix
    costs microseconds, from the DataFrame milliseconds.
    """

    def __init__(self, values: Any, names: list[str]) -> None:
        self.values = values
        self.index = {name: i for i, name in enumerate(names)}

    def __call__(self, names: list[str]) -> Any:
        """The columns ``names``, as a (reports × len(names)) array."""
        index = self.index
        return self.values[:, [index[n] for n in names]]

    def tolerance(self, keys: list[str]) -> Any:
        """``tolerance`` of the figures ``keys``, for every report: half a unit in the last printed place of
        each rounded one (their DEC columns)."""
        import numpy as np

        dec = self([DEC + k for k in keys])
        return np.where(dec > 0, 0.5 * 10.0 ** (-dec), 0.0).sum(axis=1)


class Kind:
    """Base of the rule kinds. Subclasses set NAME and implement ``frame``, ``passes``, ``explain``."""

    NAME: ClassVar[str] = ""
    EXAMPLE_PASS: ClassVar[str] = ""
    EXAMPLE_FAIL: ClassVar[str] = ""
    # an arithmetic identity compiled to one vectorised expression over ``Context.columns``, run directly
    # (not a pandera frame check): its ``applicable`` and ``passes`` take the Columns and give numpy arrays
    COMPILED: ClassVar[bool] = False

    def __init__(self, rule: RuleDef, ruleset: RuleSet) -> None:
        self.rule = rule
        self.ruleset = ruleset
        self._labels = ruleset.labels("zh")
        self._labels_en = ruleset.labels("en")

    def frame(self, ctx: Context) -> pd.DataFrame:
        """The rows this rule checks; a ``report`` column (or the index, for the wide frame) names the report."""
        return ctx.wide

    def applicable(self, df: pd.DataFrame) -> pd.Series:
        """Rows where the rule has everything it needs (the others are not counted as checked)."""
        import pandas as pd

        return pd.Series(True, index=df.index)

    def passes(self, df: pd.DataFrame) -> pd.Series:
        """True where the row passes or the rule does not apply; vectorised over all rows."""
        raise NotImplementedError

    def explain(self, ctx: Context, df: pd.DataFrame, row: Any) -> list[Finding]:
        """The findings of one failing row."""
        raise NotImplementedError

    # helpers -----------------------------------------------------------------------------
    def label(self, key: str, lang: str = "zh") -> str:
        return (self._labels_en if lang == "en" else self._labels).get(key, key)

    def finding(self, message: str, message_en: str, *, severity: str | None = None, expected: Any = None,
                actual: Any = None, locations: list[Location] | None = None, terms: list[Term] | None = None,
                instance: str = "", anchor: str = "") -> Finding:
        return Finding(
            rule=self.rule.code,
            severity=severity or self.rule.severity,
            message=message,
            message_en=message_en,
            expected=expected,
            actual=actual,
            locations=tuple(locations or ()),
            instance=instance or self.rule.instance,
            title=self.rule.title,
            terms=tuple(terms or ()),
            anchor=anchor,
        )


_META = frozenset(".^$*+?{}[]\\|()")


def required_literals(pattern: str) -> tuple[str, ...]:
    """Literals one of which every match of ``pattern`` contains, or () when that is not plain to see: a block
    with none of them cannot match, and a few ``in`` tests say so faster than a search. They are the
    alternatives of a group every match goes through (or a run of plain characters every match contains),
    the one whose shortest literal is longest (the last of equals): ("答复", "办结") for
    "(全部|均|全都|全数)(按期|按时|在法定期限内)(答复|办结)", ("行政复议",) for "(无|没有)(因…)?行政复议".
    Only for patterns without escapes, classes, groups with flags or look-arounds, and no ``|`` outside a group."""
    if "\\" in pattern or "[" in pattern or "(?" in pattern:
        return ()
    candidates: list[tuple[str, ...]] = []
    run = ""  # the plain characters read since the last meta character, every one required
    i, n = 0, len(pattern)
    while i < n:
        c = pattern[i]
        after = pattern[i + 1] if i + 1 < n else ""
        if c == "(":
            depth, j = 1, i + 1
            while j < n and depth:
                depth += {"(": 1, ")": -1}.get(pattern[j], 0)
                j += 1
            if depth:
                return ()  # (not a valid pattern)
            body, after = pattern[i + 1:j - 1], pattern[j] if j < n else ""
            alternatives = body.split("|")
            if (after not in ("?", "*", "{") and all(alternatives)
                    and not any(ch in _META for ch in body.replace("|", ""))):
                candidates.append(tuple(dict.fromkeys(alternatives)))
            if run:
                candidates.append((run,))
            run = ""
            i = j
            continue
        if c == "|":
            return ()  # an alternative outside any group
        if c in _META:
            if run:
                candidates.append((run,))
            run = ""
            if c == "{":  # a repeat count: its digits are not text to match
                i = pattern.find("}", i)
                if i == -1:
                    return ()
        elif after in ("?", "*", "{"):  # an optional character ends the run, without itself
            if run:
                candidates.append((run,))
            run = ""
        else:
            run += c
            if after == "+":  # (the character repeats: what follows it need not be next to it)
                candidates.append((run,))
                run = ""
        i += 1
    if run:
        candidates.append((run,))
    best: tuple[str, ...] = ()
    for lits in candidates:
        if not best or min(map(len, lits)) >= min(map(len, best)):
            best = lits
    return best


def when_condition(rule: RuleDef) -> tuple[list[str], float]:
    """A rule's ``when: {key: …, above: n}`` (or ``keys: […]``): the figures whose sum must exceed n."""
    when = rule.params["when"]
    keys = [when["key"]] if "key" in when else list(when["keys"])
    return keys, float(when.get("above", 0))


def table_location(ex: Extraction, key: str, role: str = "") -> Location | None:
    """Where the table figure ``key`` was printed (None: the table has no such figure)."""
    locs = table_locations(ex, [(key, role)])
    return locs[0] if locs else None


def table_locations(ex: Extraction, roles: list[tuple[str, str]]) -> list[Location]:
    """Where the table figure of each ``(key, role)`` was printed, for those the table has, in order (one call
    for all of a finding's figures)."""
    labels, table_figure = ex.ruleset.labels(), ex.table_figure
    return [Location(k, labels.get(k, k), f.value, f.text, "table", f.line, f.column, f.page, role, f.context, -1,
                     f.where) for k, role in roles if (f := table_figure(k)) is not None]


def figure_locations(ex: Extraction, key: str, role: str = "") -> list[Location]:
    """Where a table figure was printed; for a derived figure, every printed figure it is made of."""
    fdef = ex.ruleset.figures.get(key)
    if fdef is None or not fdef.sum_of:  # (not derived)
        loc = table_location(ex, key, role)
        return [loc] if loc else []
    table_figure = ex.table_figure
    if fdef.prefer and (p := table_figure(fdef.prefer)) is not None and p.state == "value":
        return figure_locations(ex, fdef.prefer, role)
    if table_figure(key) is None:
        return []
    out: list[Location] = []
    for k in fdef.sum_of:
        part = table_figure(k)
        if part is not None and (part.source == "derived" or part.state == "value"):
            out.extend(figure_locations(ex, k, role))
    return out


def derived_terms(ex: Extraction, key: str) -> list[tuple[str, float]]:
    """The printed parts of a derived figure, one level down: [(label, value)…]; [] for a printed figure."""
    fdef = ex.ruleset.figures.get(key)
    if fdef is None or not fdef.derived:
        return []
    if fdef.prefer and (p := ex.table_figure(fdef.prefer)) is not None and p.state == "value":
        return []
    return [(ex.ruleset.label(k), v) for k in fdef.sum_of if (v := ex.value(k)) is not None]


def narrative_locations(ex: Extraction, keys: list[str], role: str = "narrative",
                        numbers: list[Any] | None = None) -> list[Location]:
    """Where the narrative restates any of ``keys``. (``numbers``: the report's ``Context.restatements``, when
    the caller has them: fewer to look through.)"""
    wanted = set(keys)
    labels = ex.ruleset.labels()
    return [Location(n.key, labels.get(n.key, n.key), n.value, n.text, "narrative", n.line, n.column, n.page, role,
                     n.context, n.context_offset)
            for n in (ex.narrative.numbers if numbers is None else numbers) if n.key in wanted and restates(n)]


def restates(n: Any) -> bool:
    """Whether a narrative number may restate a table figure: it carries a figure's key, and is neither a
    percentage nor an item of an outcome breakdown."""
    return bool(n.key) and not n.percent and n.role != "breakdown"


def stated_location(ex: Extraction, idx: int, key: str = "", role: str = "") -> Location:
    n = ex.narrative.numbers[idx]
    return Location(key or n.key or f"narrative:{n.phrase}", n.phrase, n.value, n.text, "narrative", n.line, n.column,
                    n.page, role, n.context, n.context_offset)


def fmt(value: Any, decimals: int | None = None) -> str:
    """A number as a reader expects it: 224, 30.69, 96171.6, -3."""
    if value is None:
        return "—"
    v = float(value)
    if decimals is not None and decimals > 0:
        return f"{v:.{decimals}f}"
    if v.is_integer():
        return str(int(v))
    return f"{v:.6f}".rstrip("0").rstrip(".")


def tolerance(decimals: list[int]) -> float:
    """Half a unit in the last printed place of every rounded term (integers are exact)."""
    return sum(0.5 * 10 ** (-d) for d in decimals if d > 0)
