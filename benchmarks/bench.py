"""Benchmark: many reports at once, cold start, and `--help`.

Builds a corpus of reports from the samples (the seed as text, 上海 2019 as HTML), each copy with
its figures changed at random so that nothing can be served from a cache of earlier results, then
measures, on this machine:

- reports per second with one worker and with all cores, and the time to the first result;
- peak memory of the main process and of the workers, for a small and the full corpus (streaming:
  the main process should not grow with the number of reports);
- one small report validated from a cold start, against the time Python needs to import pandas
  and pandera alone (the target is at most 1.3 times that);
- `validate --help` (target: under 0.3 s).

It measures the validator installed in the Python that runs it (``make bench`` makes a fresh
non-editable install without test extras, as users have it); every run starts outside the source
tree so that the installed package, not the sources, is imported.

Usage: python benchmarks/bench.py [--reports N] [--keep DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCES = [ROOT / "samples" / "000_a81f0d4f916600c6.txt", ROOT / "tests" / "data" / "corpus" / "2019_shanghai-shifuban.html"]


def build_corpus(folder: Path, n: int, seed: int = 7) -> list[str]:
    """``n`` reports, alternating text and HTML, each with three numbers changed at random (a few findings each,
    as real reports have; the figures differ in every report)."""
    rng = random.Random(seed)
    texts = [(src.suffix, src.read_text(encoding="utf-8")) for src in SOURCES]
    number = re.compile(r"(?<=[>\n\s，,])(\d{1,4})(?=[<\n\s件条名个])")
    paths = []
    for i in range(n):
        suffix, text = texts[i % len(texts)]
        spots = list(number.finditer(text))
        chosen = sorted(rng.sample(range(len(spots)), min(3, len(spots))))
        out, last = [], 0
        for j in chosen:
            m = spots[j]
            out.append(text[last:m.start()])
            out.append(str(int(m.group(1)) + rng.randint(0, 9)))
            last = m.end()
        out.append(text[last:])
        p = folder / f"r{i:05d}{suffix}"
        p.write_text("".join(out), encoding="utf-8")
        paths.append(str(p))
    return paths


_RUN = r"""
import json, resource, sys, time
from validator import batch
from validator.pipeline import Options
files = [line.strip() for line in open(sys.argv[1], encoding="utf-8")]
jobs = int(sys.argv[2])
t0 = time.perf_counter()
first = None
n = 0
for r in batch.stream(files, Options(), jobs=jobs, keep_lines=False):
    if first is None:
        first = time.perf_counter() - t0
    n += 1
elapsed = time.perf_counter() - t0
self_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
child_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
print(json.dumps({"reports": n, "seconds": elapsed, "first": first, "main_mb": self_kb / 1024,
                  "worker_mb": child_kb / 1024}))
"""


_STAGES = r"""
import json, sys, time
from validator.detect import choose_template, detect_year_body
from validator.engine import evaluate
from validator.extract import extract
from validator.pipeline import Options, _suggest, collector_paused, prepare
from validator.read import read_document
from validator.ruleset import load_all_rulesets
files = [line.strip() for line in open(sys.argv[1], encoding="utf-8")]
out = {}
for suffix in (".txt", ".html"):
    chosen = [f for f in files if f.endswith(suffix)][:200]
    warm = prepare(chosen[0], Options()).extraction  # warm: imports, rule sets, compiled patterns, pandera
    _suggest(warm, evaluate(warm.ruleset, [warm])[0].findings)
    t = {"read": 0.0, "extract": 0.0, "evaluate": 0.0, "localise": 0.0}
    with collector_paused():  # (as batch workers do while they work on a chunk)
        s = time.perf_counter()
        docs = [read_document(f) for f in chosen]
        t["read"] = time.perf_counter() - s
        s = time.perf_counter()
        exs = []
        for d in docs:
            year, body = detect_year_body(d)
            ruleset, _ = choose_template(year, d, load_all_rulesets())
            exs.append(extract(d, ruleset, body=body, year=year))
        t["extract"] = time.perf_counter() - s
        s = time.perf_counter()
        outcomes = evaluate(exs[0].ruleset, exs)
        t["evaluate"] = time.perf_counter() - s
        s = time.perf_counter()
        for ex, o in zip(exs, outcomes):
            _suggest(ex, o.findings)
        t["localise"] = time.perf_counter() - s
        del docs, exs, outcomes
    out[suffix] = {k: v / len(chosen) * 1000 for k, v in t.items()}
print(json.dumps(out))
"""


def stages(files: list[str], workdir: Path) -> dict:
    """Milliseconds per report in each stage, one process, 200 reports of each format evaluated together."""
    return _run(_STAGES, files, "stages", workdir)


def run_batch(files: list[str], jobs: int, workdir: Path) -> dict:
    return _run(_RUN, files, str(len(files)), workdir, str(jobs))


def _run(script: str, files: list[str], name: str, workdir: Path, *args: str) -> dict:
    """Run ``script`` in a fresh Python outside the sources, on ``files`` (a listing it reads), and return
    the JSON object it prints last."""
    listing = workdir / f"files-{name}.txt"
    listing.write_text("\n".join(files), encoding="utf-8")
    out = subprocess.run([sys.executable, "-c", script, str(listing), *args], capture_output=True, text=True,
                         cwd=workdir, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def best_of(cmd: list[str], cwd: Path, times: int = 5) -> float:
    best = float("inf")
    for _ in range(times):
        t = time.perf_counter()
        subprocess.run(cmd, capture_output=True, cwd=cwd)
        best = min(best, time.perf_counter() - t)
    return best


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--reports", type=int, default=5000)
    ap.add_argument("--keep", help="keep the generated corpus in this folder")
    args = ap.parse_args()
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    work = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="validate-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        where = subprocess.run([sys.executable, "-c", "import validator; print(validator.__file__)"],
                               capture_output=True, text=True, cwd=work, check=True).stdout.strip()
        print(f"validator under test: {where}")
        t = time.perf_counter()
        files = build_corpus(work, args.reports)
        print(f"corpus: {len(files)} reports ({len(files) // 2} text, {len(files) - len(files) // 2} HTML) "
              f"built in {time.perf_counter() - t:.1f} s in {work}")
        # (half the corpus: long enough to reach the steady state, with as many full-size chunks in flight as the
        # full run, so the two runs differ only in their number of reports; a fifth of it did not, and showed the
        # ramp-up, not growth: 44 MB at 1,000 reports, then 53, 54 and 55 MB at 5,000, 10,000 and 15,000)
        small = files[: max(2 * cores * 48, len(files) // 2)]
        rows = []
        for label, subset, jobs in (("1 worker", files, 1), (f"{cores} workers", files, cores),
                                    (f"{cores} workers, {len(small)} reports", small, cores)):
            r = run_batch(subset, jobs, work)
            rows.append((label, r))
            print(f"{label:>28}: {r['reports'] / r['seconds']:7.1f} reports/s  ({r['reports']} in {r['seconds']:.1f} s)"
                  f"  first result after {r['first']:.2f} s  peak memory: main {r['main_mb']:.0f} MB, "
                  f"largest worker {r['worker_mb']:.0f} MB")
        grow = rows[1][1]["main_mb"] - rows[2][1]["main_mb"]
        per = grow * 1024 * 1024 / max(1, len(files) - len(small))
        print(f"main process memory, {len(files)} vs {len(small)} reports: {grow:+.1f} MB "
              f"({per:+.0f} bytes per added report; target: flat)")

        for suffix, t in stages(files, work).items():
            total = sum(t.values())
            print(f"per {suffix[1:]} report, one process: " + ", ".join(f"{k} {v:.1f}" for k, v in t.items())
                  + f" = {total:.1f} ms")

        imports = best_of([sys.executable, "-c", "import pandas, pandera.pandas"], work)
        beside = Path(sys.executable).parent / "validate"
        validate = str(beside) if beside.exists() else shutil.which("validate") or "validate"
        cold = best_of([validate, str(SOURCES[0]), "--format", "json", "--html-report", "none"], work)
        helptime = best_of([validate, "--help"], work)
        print(f"import pandas + pandera: {imports:.2f} s; one report from a cold start: {cold:.2f} s "
              f"= {cold / imports:.2f} x (target ≤ 1.3)")
        print(f"validate --help: {helptime:.3f} s (target < 0.3)")
        rate = rows[1][1]["reports"] / rows[1][1]["seconds"]
        print(f"all cores: {rate:.0f} reports/s (target ≥ 500): {'met' if rate >= 500 else 'NOT met'}")
        print(f"median report size: {statistics.median(os.path.getsize(f) for f in files[:100]) / 1024:.0f} KB")
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
