"""Many reports at once: worker processes, chunks evaluated together, results streamed back.

Each worker validates a chunk of reports — reads and extracts each, then runs every rule over the
whole chunk in one vectorised pass — and sends back the results (findings, no documents) plus a
small snapshot of the figures the cross-year rules need. The main process keeps only those, so
memory does not grow with the documents; at the end it pairs consecutive years of the same body
across all chunks and runs the cross-year rules on the snapshots.
"""

from __future__ import annotations

import gc
import itertools
import os
import pickle
import tempfile
import weakref
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from validator.model import ReportResult
from validator.pipeline import Options, Prepared, collector_paused, evaluate_prepared, pair_years, prepare
from validator.ruleset import RuleSet

FIRST_CHUNK = 8  # the first chunk is small so the first result comes quickly…
CHUNK = 200  # …and they double up to this, so the rules' fixed cost is shared by many reports


@dataclass
class _Done:
    """One chunk's results, in input order, and the snapshots for the cross-year pass."""

    start: int
    results: list[ReportResult]
    snapshots: list[bytes | None]  # pickled Extraction snapshots (or None), one per result


def default_jobs() -> int:
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1))


def run(files: list[str], options: Options, *, jobs: int | None = None, previous: str | None = None,
        keep_lines: bool = True, progress: Callable[[int], None] | None = None) -> list[ReportResult]:
    """Validate ``files``; ``progress(n)`` is called as each chunk of ``n`` reports is done."""
    return list(stream(files, options, jobs=jobs, previous=previous, keep_lines=keep_lines, progress=progress))


def stream(files: list[str], options: Options, *, jobs: int | None = None, previous: str | None = None,
           keep_lines: bool = True, progress: Callable[[int], None] | None = None) -> Iterator[ReportResult]:
    """Results in input order, as soon as each chunk is done.

    Memory stays flat however many reports there are: a small snapshot of each report's figures is
    written to a temporary file for the cross-year pass, which adds its findings, when the last chunk
    is in, to the results the caller still holds (``run`` holds them all; a caller that drops a result
    gives up its cross-year findings, though the report still serves as the previous year of another).
    """
    jobs = jobs or default_jobs()
    chunks = _chunks(files, jobs)
    earlier = prepare(previous, options) if previous else None
    held: list[_Held] = []
    with _Spill() as spill:
        if jobs <= 1 or len(chunks) <= 1:
            done_iter: Iterator[_Done] = (_work(start, paths, options, keep_lines) for start, paths in chunks)
            yield from _collect(done_iter, held, spill, progress)
        else:
            from concurrent.futures import ProcessPoolExecutor

            with ProcessPoolExecutor(max_workers=jobs) as pool:
                yield from _collect(_in_order(pool, chunks, options, keep_lines, 2 * jobs), held, spill, progress)
        _cross_year(files, held, spill, earlier)


@dataclass(slots=True)
class _Held:
    """What the cross-year pass needs of a report: its snapshot, and its result while the caller holds it.

    (One per report for the whole run, so kept small: slots, the report's place in the inputs rather than
    its path, and the body's name shared by every report of the body.)
    """

    result: weakref.ref[ReportResult]
    index: int  # in the inputs
    year: int | None
    body: str | None
    snapshot: int  # where it is in the spill file


class _Spill:
    """The snapshots, pickled into a temporary file as they come and read back only for the reports
    that turn out to be paired."""

    def __init__(self) -> None:
        self._file = tempfile.TemporaryFile()
        self._end = 0  # (tracked here: seeking to the end flushed the buffer, a system call for every report)

    def add(self, pickled: bytes) -> int:
        pos = self._end
        self._file.write(pickled)
        self._end += len(pickled)
        return pos

    def get(self, pos: int) -> object:
        self._file.seek(pos)
        try:
            return pickle.load(self._file)
        finally:
            self._file.seek(self._end)  # (where the next add writes)

    def __enter__(self) -> _Spill:
        return self

    def __exit__(self, *exc: object) -> None:
        self._file.close()


def _in_order(pool, chunks: list[tuple[int, list[str]]], options: Options, keep_lines: bool,
              ahead: int) -> Iterator[_Done]:
    """The chunks' results in order, with at most ``ahead`` chunks submitted and not yet collected:
    a finished chunk is let go as soon as it is yielded, so results never pile up in this process."""
    todo = iter(chunks)

    def submit(chunk: tuple[int, list[str]]):
        return pool.submit(_work_packed, chunk[0], chunk[1], options, keep_lines)

    pending = deque(submit(c) for c in itertools.islice(todo, ahead))
    while pending:
        packed = pending.popleft().result()
        following = next(todo, None)
        if following is not None:
            pending.append(submit(following))
        with collector_paused():  # (tens of thousands of new objects, none in a cycle: half the time without it)
            done = pickle.loads(packed)
        del packed
        yield done
        del done


def _chunks(files: list[str], jobs: int = 1) -> list[tuple[int, list[str]]]:
    """(start, paths) of chunks growing from FIRST_CHUNK to CHUNK reports. With several workers the last
    ones shrink again, each to a share of what is left (but not below FIRST_CHUNK), so that no worker is
    still on a long chunk while the others have nothing left to do."""
    out: list[tuple[int, list[str]]] = []
    start, size = 0, min(FIRST_CHUNK, CHUNK)
    while start < len(files):
        n = size
        if jobs > 1:
            n = min(n, max(FIRST_CHUNK, -(-(len(files) - start) // (2 * jobs))))
        out.append((start, files[start:start + n]))
        start += n
        size = min(2 * size, CHUNK)
    return out


def _collect(done: Iterator[_Done], held: list[_Held], spill: _Spill,
             progress: Callable[[int], None] | None) -> Iterator[ReportResult]:
    """Yield each chunk's results; spill the snapshots of those a cross-year rule may read (they have one)."""
    bodies: dict[str, str] = {}
    for d in done:
        for i, (r, snap) in enumerate(zip(d.results, d.snapshots, strict=True)):
            if snap is not None:
                body = bodies.setdefault(r.body, r.body) if r.body is not None else None
                held.append(_Held(weakref.ref(r), d.start + i, r.year, body, spill.add(snap)))
        if progress:
            progress(len(d.results))
        yield from d.results


def _work(start: int, paths: list[str], options: Options, keep_lines: bool) -> _Done:
    """In a worker: validate one chunk together, without cross-year pairing (done at the end)."""
    with collector_paused():
        prepared = [prepare(p, options) for p in paths]
        results = evaluate_prepared(prepared, pair=False)
        snaps = [_snapshot(p) for p in prepared]
        del prepared  # (freed while the collector still waits: its next pass then has little to scan)
        if not keep_lines:
            for r in results:  # (the chunk's own results: no one else holds them)
                r.lines = []
    return _Done(start, results, snaps)


def _work_packed(start: int, paths: list[str], options: Options, keep_lines: bool) -> bytes:
    """``_work`` for a worker process: the chunk pickled while the collector still waits, so the results
    are freed before it runs again and it has nothing of them to scan.

    After its first chunk a worker has imported everything and compiled its rule sets: those objects live as
    long as the worker, so they are moved out of the collector's sight (``gc.freeze``, after one last full
    pass), and its later passes no longer walk the 200,000 of them again."""
    global _warm
    with collector_paused():
        packed = pickle.dumps(_work(start, paths, options, keep_lines), protocol=pickle.HIGHEST_PROTOCOL)
    if not _warm:
        _warm = True
        gc.collect()
        gc.freeze()
    return packed


_warm = False  # (in a worker process: whether its first chunk is done)


def _snapshot(p: Prepared) -> bytes | None:
    """The figures the cross-year rules of this report's template read, and nothing else, pickled."""
    ex = p.extraction
    if ex is None:
        return None
    keys = ex.ruleset.memo("cross_year_keys", _cross_year_keys)
    return pickle.dumps(ex.snapshot(keys), protocol=pickle.HIGHEST_PROTOCOL) if keys else None


def _cross_year_keys(ruleset: RuleSet) -> set[str]:
    """The figures a rule set's cross-year rules read, this year's and last year's."""
    keys: set[str] = set()
    for r in ruleset.rules:
        if r.kind == "cross_year":
            keys.update(r.params["current"])
            keys.update(r.params["previous"])
    return keys


def _cross_year(files: list[str], held: list[_Held], spill: _Spill, earlier: Prepared | None) -> None:
    """Pair consecutive years of the same body across every chunk and run the cross-year rules on the
    reports whose results are still held."""
    from validator.engine import evaluate

    holders: list[Prepared] = []
    live: set[int] = set()
    for h in held:
        r = h.result()
        if r is not None:
            live.add(id(r))
        else:  # dropped by the caller: still the previous year of another report
            r = ReportResult(path=files[h.index], year=h.year, body=h.body)
        holders.append(Prepared(r))
    spilled = {id(p): h.snapshot for p, h in zip(holders, held, strict=True)}
    pairs = pair_years(holders)
    if earlier is not None and earlier.extraction is not None:
        for p in holders:
            pairs.setdefault(id(p), earlier)
    groups: dict[str, list[Prepared]] = {}
    for p in holders:
        if id(p.result) in live and id(p) in pairs:
            for q in (p, pairs[id(p)]):
                if q.extraction is None:
                    q.extraction = spill.get(spilled[id(q)])  # type: ignore[assignment]
            groups.setdefault(p.extraction.ruleset.template, []).append(p)
    for members in groups.values():
        ruleset = members[0].extraction.ruleset
        prev = [pairs[id(p)].extraction for p in members]
        outcomes = evaluate(ruleset, [p.extraction for p in members], previous=prev, kinds={"cross_year"})
        for p, outcome in zip(members, outcomes, strict=True):
            p.result.rules_checked += outcome.rules_checked
            p.result.findings.extend(outcome.findings)
