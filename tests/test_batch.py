"""Many reports at once: worker processes, one combined output, the summary table, the figures dataset."""

from __future__ import annotations

import json
import pickle
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.national.test_cross_year import _last_year
from validator import batch
from validator.cli import app
from validator.pipeline import Options, validate_paths

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data" / "corpus"
SEED = ROOT / "samples" / "000_a81f0d4f916600c6.txt"


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    d = tmp_path_factory.mktemp("reports")
    for i in range(6):
        shutil.copy(SEED, d / f"seed-{i}.txt")
    shutil.copy(DATA / "2019_shanghai-shifuban.html", d / "shanghai.html")
    shutil.copy(DATA / "2024_hongzequ.txt", d / "hongze.txt")
    (d / "broken.txt").write_bytes(bytes(range(256)) * 40)
    return d


def _brief(results):
    return [(Path(r.path).name, r.error, [(f.rule, f.severity, f.fingerprint) for f in r.findings]) for r in results]


def test_workers_give_the_same_results(folder, monkeypatch):
    monkeypatch.setattr(batch, "CHUNK", 3)
    files = sorted(str(p) for p in folder.iterdir())
    one = batch.run(files, Options(), jobs=1)
    two = batch.run(files, Options(), jobs=2)
    assert _brief(one) == _brief(two)
    assert _brief(one) == _brief(validate_paths(files))
    broken = next(r for r in two if r.path.endswith("broken.txt"))
    assert broken.error == "is a binary file, not a text document"


def test_consecutive_years_paired_across_chunks(tmp_path, monkeypatch):
    monkeypatch.setattr(batch, "CHUNK", 1)  # every report in its own chunk
    last = _last_year(tmp_path, 4)
    files = [str(DATA / "2024_hongzequ.txt"), str(SEED), str(last)]
    results = batch.run(files, Options(), jobs=2)
    x1 = sorted((f.instance, f.expected, f.actual) for f in results[0].findings if f.rule == "X1")
    assert x1 == [("natural", 4, 0), ("total", 4, 0)]
    assert results[0].rules_checked == validate_paths(files)[0].rules_checked


def test_folder_on_the_command_line(folder):
    r = CliRunner().invoke(app, ["check", str(folder), "--jobs", "2", "--format", "json"], env={"COLUMNS": "200"})
    assert r.exit_code == 2  # one report could not be read
    data = json.loads(r.stdout)
    assert len(data["reports"]) == 9
    assert data["summary"] == {"reports": 9, "error": 6 * 2 + 2 + 1, "warning": 6 * 2 + 3, "info": 6, "unreadable": 1}
    assert r.stderr.strip().endswith("broken.txt: is a binary file, not a text document")


def test_summary_table(folder):
    r = CliRunner().invoke(app, ["check", str(folder), "--summary"], env={"COLUMNS": "250"})
    out = r.stdout
    assert "从事政府信息公开工作人员数 224" not in out  # --summary: the table only
    rows = {cells[0]: cells[1:] for line in out.splitlines() if line.startswith("│")
            for cells in [[c.strip() for c in line.strip("│").split("│")]]}
    assert rows[str(folder / "shanghai.html")] == ["上海市人民政府办公厅", "national-2019", "2019", "2", "3", "0"]
    assert rows[str(folder / "seed-0.txt")] == ["北京市朝阳区人民政府", "old-2014", "2017", "2", "2", "1"]
    assert rows[str(folder / "broken.txt")][0] == "无法读取：is a binary file, not a text document"
    assert "合计: 9 份报告 · 错误 15 · 警告 15 · 提示 6 · 无法读取 1" in out


def test_extract_dataset(folder, tmp_path):
    import pandas as pd

    out = tmp_path / "figures.parquet"
    r = CliRunner().invoke(app, ["extract", str(folder), "--format", "parquet", "--output", str(out), "-j", "2"])
    assert r.exit_code == 2 and "broken.txt" in r.stderr
    df = pd.read_parquet(out)
    assert list(df.columns[:6]) == ["report", "template", "year", "body", "key", "label"]
    assert df["report"].nunique() == 8
    staff = df[(df["key"] == "staff.total") & (df["source"] == "table")]
    assert staff["value"].tolist() == [224.0] * 6 and staff["line"].tolist() == [926] * 6
    csv_out = tmp_path / "figures.csv"
    CliRunner().invoke(app, ["extract", str(folder), "--output", str(csv_out), "-j", "1"])
    assert len(pd.read_csv(csv_out)) == len(df)


def test_chunks_grow_from_small_to_the_limit(monkeypatch):
    monkeypatch.setattr(batch, "FIRST_CHUNK", 2)
    monkeypatch.setattr(batch, "CHUNK", 5)
    files = [f"r{i}.txt" for i in range(20)]
    chunks = batch._chunks(files)
    assert [(start, len(paths)) for start, paths in chunks] == [(0, 2), (2, 4), (6, 5), (11, 5), (16, 4)]
    assert [p for _, paths in chunks for p in paths] == files


def test_with_several_workers_the_last_chunks_shrink(monkeypatch):
    monkeypatch.setattr(batch, "FIRST_CHUNK", 2)
    monkeypatch.setattr(batch, "CHUNK", 8)
    files = [f"r{i}.txt" for i in range(40)]
    chunks = batch._chunks(files, jobs=2)
    assert [len(paths) for _, paths in chunks] == [2, 4, 8, 7, 5, 4, 3, 2, 2, 2, 1]
    assert [p for _, paths in chunks for p in paths] == files


def test_streaming_holds_no_result_the_caller_dropped(tmp_path, monkeypatch):
    """A streaming caller that keeps only this year's result still gets its cross-year findings, while
    last year's dropped result is not kept alive for them."""
    import gc
    import weakref

    monkeypatch.setattr(batch, "CHUNK", 1)
    last = _last_year(tmp_path, 4)
    files = [str(last), str(DATA / "2024_hongzequ.txt"), str(SEED)]
    kept, dropped, alive_at_the_last = [], [], None
    for i, r in enumerate(batch.stream(files, Options(), jobs=1)):
        if i == len(files) - 1:  # the stream is still running: has it let go of last year's result?
            gc.collect()
            alive_at_the_last = [ref() is not None for ref in dropped]
        if r.year == 2024:
            kept.append(r)
        else:
            dropped.append(weakref.ref(r))
        del r
    assert alive_at_the_last == [False]
    x1 = sorted((f.instance, f.expected, f.actual) for f in kept[0].findings if f.rule == "X1")
    assert x1 == [("natural", 4, 0), ("total", 4, 0)]


def test_at_most_a_few_chunks_are_in_flight(monkeypatch):
    """Chunks are submitted as earlier ones are collected, so finished results never pile up."""
    from concurrent.futures import Future

    submitted, collected = [], []

    class Pool:
        def submit(self, fn, start, paths, options, keep_lines):
            submitted.append(start)
            f = Future()
            f.set_result(pickle.dumps(batch._Done(start, [], [])))
            return f

    chunks = [(i, [f"r{i}"]) for i in range(10)]
    for done in batch._in_order(Pool(), chunks, Options(), False, 3):
        collected.append(done.start)
        assert len(submitted) - len(collected) <= 3
    assert collected == list(range(10)) and submitted == list(range(10))


def test_the_collector_is_paused_while_reports_are_checked_and_restored_after(seed_path, monkeypatch):
    import gc

    from validator import pipeline

    seen = []
    real_prepare = pipeline.prepare
    monkeypatch.setattr(pipeline, "prepare", lambda *a: seen.append(gc.isenabled()) or real_prepare(*a))
    assert gc.isenabled()
    pipeline.validate_paths([str(seed_path)])
    assert seen == [False] and gc.isenabled()
    gc.disable()
    try:
        pipeline.validate_paths([str(seed_path)])
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_the_spill_file_gives_back_each_snapshot_whatever_the_order_of_adds_and_reads():
    with batch._Spill() as spill:
        a = spill.add(pickle.dumps({"a": 1}))
        b = spill.add(pickle.dumps([2] * 1000))
        assert spill.get(a) == {"a": 1}
        c = spill.add(pickle.dumps("三"))  # after a read: still appended at the end, not over b
        assert (spill.get(b), spill.get(c), spill.get(a)) == ([2] * 1000, "三", {"a": 1})


def test_a_worker_takes_what_outlives_its_first_chunk_out_of_the_collectors_sight(seed_path):
    import gc
    from concurrent.futures import ProcessPoolExecutor

    with ProcessPoolExecutor(max_workers=1) as pool:
        assert pool.submit(gc.get_freeze_count).result() == 0
        done = pickle.loads(pool.submit(batch._work_packed, 0, [str(seed_path)], Options(), False).result())
        frozen = pool.submit(gc.get_freeze_count).result()
    assert [r.template for r in done.results] == ["old-2014"] and frozen > 10_000
