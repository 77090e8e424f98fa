"""Batch runs: discovery, fault isolation, resume after SIGKILL, Dask equals local, the cohort table.

The real clips are copied into temporary folders whose names hold spaces and
non-ASCII letters (two of them named ``IMG_0001.mp4`` in different folders), next to
injected bad files. ``--max-fps 15`` keeps the runs short; the point here is the
batch machinery, not the measurement.
"""

from __future__ import annotations

import contextlib
import csv
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import VIDEOS, require_shared
from media import make_video

from lunge_screen.batch import discover_inputs, output_name, read_manifest, run_batch, run_job
from lunge_screen.batch.cohort import CohortEntry, read_cohort_csv, write_cohort
from lunge_screen.batch.inputs import ManifestError
from lunge_screen.cli import main
from lunge_screen.errors import InputNotFoundError
from lunge_screen.results import SessionResult
from lunge_screen.settings import ExtractSettings

FAST = ["--max-fps", "15", "--quiet"]
SHORT = "lunge_front_lowres_18fps.mp4"  # 108 frames
SIDE = "reverse_lunge_side_view.mp4"  # 191 frames
PORTRAIT = "lunge_front_portrait.mp4"  # 217 frames


# ---- helpers --------------------------------------------------------------------------------
def good_tree(root: Path) -> dict[str, Path]:
    """Three real clips; two are both called IMG_0001.mp4; folder names with spaces and non-ASCII letters."""
    require_shared()
    files = {
        SHORT: root / "séance 1" / "IMG_0001.mp4",
        SIDE: root / "Ünïcode subject" / "IMG_0001.mp4",
        PORTRAIT: root / "front portrait ä.mp4",
    }
    for name, dest in files.items():
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(VIDEOS / name, dest)
    return files


def bad_files(root: Path) -> dict[str, Path]:
    """Injected bad inputs, with the stage each must fail in."""
    (root / "empty.mp4").write_bytes(b"")
    data = (VIDEOS / PORTRAIT).read_bytes()
    (root / "truncated copy.mp4").write_bytes(data[: len(data) // 2])
    (root / "notes.mp4").write_text("not a video, just a note\n", encoding="utf-8")
    make_video(root / "no person.mp4", n=20, fps=15)
    return {
        "empty.mp4": "read",
        "truncated copy.mp4": "read",
        "notes.mp4": "read",
        "no person.mp4": "analyse",
    }


def log_events(out: Path) -> list[list[dict]]:
    """The run log's events grouped by run (a line cut by a kill is ignored)."""
    runs: dict[str, list[dict]] = {}
    for line in (out / "run_log.jsonl").read_text(encoding="utf-8").splitlines():
        try:
            e = json.loads(line)
        except ValueError:
            continue
        runs.setdefault(e["run"], []).append(e)
    return list(runs.values())


def processed(run: list[dict]) -> dict[str, str]:
    """Path -> status of the videos a run actually worked on (not skipped)."""
    return {e["path"]: e["status"] for e in run if e["event"] == "video" and not e["skipped"]}


def check_results_intact(out: Path) -> None:
    """Every committed result folder is complete and parseable; no temporary folder is left over."""
    for d in (out / "videos").iterdir():
        assert not d.name.startswith("."), f"leftover temporary folder {d.name}"
        marker = json.loads((d / "done.json").read_text(encoding="utf-8"))
        if marker["status"] == "ok":
            SessionResult.from_json((d / "session.json").read_text(encoding="utf-8"))
            assert (d / "reps.csv").is_file()


def crashing_job(job, progress=None):
    """A job function whose worker dies on purpose for some inputs (picklable: top level)."""
    name = Path(job.input.path).name
    if name.startswith("exit"):
        os._exit(3)
    if name.startswith("segv"):
        os.kill(os.getpid(), signal.SIGSEGV)
    return run_job(job, progress=progress)


# ---- one batch over real clips + bad files, shared by several tests ---------------------------
@pytest.fixture(scope="module")
def cohort_run(tmp_path_factory):
    root = tmp_path_factory.mktemp("batch")
    inputs = root / "input videos"
    good = good_tree(inputs)
    bad = bad_files(inputs)
    (inputs / ".hidden").mkdir()
    (inputs / ".hidden" / "clip.mp4").write_bytes(b"junk")
    (inputs / "._IMG_0001.mp4").write_bytes(b"\x00\x05\x16\x07 AppleDouble")  # macOS metadata file
    (inputs / "README.txt").write_text("not an input", encoding="utf-8")
    out = inputs / "results"  # the output folder may live inside an input folder
    t0 = time.monotonic()
    code = main(["batch", str(inputs), "--out", str(out), "-j", "2", *FAST])
    return {"inputs": inputs, "out": out, "good": good, "bad": bad, "code": code, "seconds": time.monotonic() - t0}


@pytest.mark.shared
def test_batch_over_real_and_bad_files(cohort_run):
    out, good, bad = cohort_run["out"], cohort_run["good"], cohort_run["bad"]
    assert cohort_run["code"] == 11  # BatchFailuresError: some inputs failed
    rows = read_cohort_csv(out / "cohort.csv")
    assert len(rows) == 2 * (len(good) + len(bad))  # hidden files, README and the results folder were not inputs
    by_video = {}
    for r in rows:
        by_video.setdefault(r["video"], []).append(r)
    assert all([r["leg"] for r in v] == ["left", "right"] for v in by_video.values())
    rel = {p.relative_to(cohort_run["inputs"]).as_posix() for p in good.values()}
    for video in rel:
        assert {r["status"] for r in by_video[video]} == {"ok"}
        assert sum(int(r["n_reps"]) for r in by_video[video]) >= 1
        assert all(r["finding_pattern"] and r["input_sha256"] for r in by_video[video])
    for name in bad:
        assert {r["status"] for r in by_video[name]} == {"failed"}
        assert all(r["error"] and not r["n_reps"] for r in by_video[name])
    # The side view's frontal measures are withheld and the warning says so.
    side = by_video[good[SIDE].relative_to(cohort_run["inputs"]).as_posix()]
    assert all("view" in r["warnings"].split(";") and not r["knee_over_foot_peak_median"] for r in side)

    with open(out / "failures.csv", encoding="utf-8", newline="") as f:
        failures = list(csv.DictReader(f))
    assert list(failures[0]) == ["path", "stage", "error"]
    assert {Path(r["path"]).name: r["stage"] for r in failures} == bad
    assert all(r["error"] for r in failures)

    # Two IMG_0001.mp4 in different folders: separate result folders, names from the paths.
    folders = {r["output"] for r in rows if r["status"] == "ok"}
    assert len(folders) == 3
    assert any("séance 1__IMG_0001.mp4-" in f for f in folders)
    assert any("Ünïcode subject__IMG_0001.mp4-" in f for f in folders)
    check_results_intact(out)

    # Parquet holds the same table, with numeric columns typed.
    import pyarrow.parquet as pq

    table = pq.read_table(out / "cohort.parquet")
    assert table.num_rows == len(rows) and table.column_names == list(rows[0])
    assert str(table.schema.field("n_reps").type) == "int64"
    assert str(table.schema.field("knee_over_foot_peak_median").type) == "double"
    assert table.column("video").to_pylist() == [r["video"] for r in rows]

    events = log_events(out)[0]
    assert [events[0]["event"], events[-1]["event"]] == ["start", "end"]
    assert len(processed(events)) == len(good) + len(bad)


@pytest.mark.shared
def test_dask_cluster_gives_the_same_cohort_table(cohort_run, tmp_path):
    import distributed  # in the test extra: a missing Dask fails here rather than skipping

    out = tmp_path / "dask out"
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        code = main(
            ["batch", str(cohort_run["inputs"]), "-o", str(out), "--scheduler", cluster.scheduler_address, *FAST]
        )
    assert code == 11
    local_out = cohort_run["out"]
    assert (out / "cohort.csv").read_text(encoding="utf-8") == (local_out / "cohort.csv").read_text(encoding="utf-8")
    assert (out / "failures.csv").read_text(encoding="utf-8") == (local_out / "failures.csv").read_text(
        encoding="utf-8"
    )
    assert log_events(out)[0][0]["engine"] == "dask"


# ---- resume ---------------------------------------------------------------------------------
@pytest.mark.shared
def test_rerun_skips_done_redoes_changed_and_force_recomputes(tmp_path):
    require_shared()
    inputs = tmp_path / "in"
    inputs.mkdir()
    a, b = inputs / "a.mp4", inputs / "b b.mp4"
    shutil.copyfile(VIDEOS / SHORT, a)
    shutil.copyfile(VIDEOS / SHORT, b)
    out = tmp_path / "out"
    cmd = ["batch", str(inputs), "-o", str(out), "-j", "2", *FAST]

    assert main(cmd) == 0
    first = (out / "cohort.csv").read_bytes()
    markers = {p: p.read_bytes() for p in out.glob("videos/*/done.json")}
    assert len(markers) == 2

    assert main(cmd) == 0  # nothing changed: nothing analysed, same table, results untouched
    assert processed(log_events(out)[-1]) == {}
    assert (out / "cohort.csv").read_bytes() == first
    assert {p: p.read_bytes() for p in markers} == markers

    os.utime(a, (time.time() + 5, time.time() + 5))  # touched, same content: re-hashed, not redone
    shutil.copyfile(VIDEOS / SIDE, b)  # new content: redone
    assert main(cmd) == 0
    assert processed(log_events(out)[-1]) == {str(b): "ok"}
    assert next(e for e in log_events(out)[-1] if e.get("path") == str(a))["skipped"]
    assert (out / "cohort.csv").read_bytes() != first

    assert main([*cmd, "--threshold", "clearly_medial_min=0.3"]) == 0  # other settings: redone
    assert set(processed(log_events(out)[-1])) == {str(a), str(b)}
    assert main([*cmd, "--threshold", "clearly_medial_min=0.3", "--force"]) == 0
    assert set(processed(log_events(out)[-1])) == {str(a), str(b)}
    check_results_intact(out)


@pytest.mark.shared
def test_killed_batch_resumes_without_redoing_or_corrupting(tmp_path):
    require_shared()
    inputs = tmp_path / "in put"
    good_tree(inputs)
    out = tmp_path / "out"
    cmd = [sys.executable, "-m", "lunge_screen", "batch", str(inputs), "-o", str(out), "-j", "1", *FAST]
    proc = subprocess.Popen(cmd, start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 90
        while not list(out.glob("videos/*/done.json")):
            assert proc.poll() is None, "the batch ended before it could be killed"
            assert time.monotonic() < deadline, "no result appeared"
            time.sleep(0.05)
        proc.send_signal(signal.SIGKILL)  # only the batch process: its workers must not outlive it
        proc.wait()
        deadline = time.monotonic() + 10
        while True:
            try:
                os.killpg(proc.pid, 0)
            except ProcessLookupError:
                break
            assert time.monotonic() < deadline, "a worker outlived the killed batch"
            time.sleep(0.1)
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
    done_before = {p.parent.name: p.read_bytes() for p in out.glob("videos/*/done.json")}
    assert 1 <= len(done_before) < 3

    assert main(["batch", str(inputs), "-o", str(out), "-j", "1", *FAST]) == 0
    runs = log_events(out)
    assert len(runs) == 2
    again = processed(runs[-1])
    assert len(again) == 3 - len(done_before)  # only the unfinished videos were analysed again
    counts: dict[str, int] = {}
    for run in runs:
        for path in processed(run):
            counts[path] = counts.get(path, 0) + 1
    assert max(counts.values()) == 1  # no video was analysed twice
    for name, data in done_before.items():
        assert (out / "videos" / name / "done.json").read_bytes() == data
    check_results_intact(out)
    rows = read_cohort_csv(out / "cohort.csv")
    assert len(rows) == 6 and {r["status"] for r in rows} == {"ok"}


# ---- fault isolation ------------------------------------------------------------------------
@pytest.mark.shared
def test_a_crashing_worker_fails_only_its_own_video(tmp_path):
    require_shared()
    inputs = tmp_path / "in"
    inputs.mkdir()
    for name in ("good.mp4", "exit.mp4", "segv.mp4"):
        shutil.copyfile(VIDEOS / SHORT, inputs / name)
    manifest = tmp_path / "manifest.csv"
    manifest.write_text(
        "participant,path,session\nP01,in/good.mp4,1\nP02,in/exit.mp4,1\nP03,in/segv.mp4,2\nP04,in/missing.mp4,1\n",
        encoding="utf-8",
    )
    summary = run_batch(
        manifest=manifest,
        out=tmp_path / "out",
        workers=2,
        extract=ExtractSettings(max_fps=15),
        progress=False,
        job_fn=crashing_job,
    )
    by_name = {Path(r.path).name: r for r in summary.records}
    assert by_name["good.mp4"].status == "ok"
    assert (by_name["exit.mp4"].stage, by_name["segv.mp4"].stage) == ("worker", "worker")
    assert "exit code 3" in by_name["exit.mp4"].error
    assert "SIGSEGV" in by_name["segv.mp4"].error
    assert (by_name["missing.mp4"].status, by_name["missing.mp4"].stage) == ("failed", "input")
    assert summary.n_failed == 3
    rows = read_cohort_csv(tmp_path / "out" / "cohort.csv")
    assert list(rows[0])[:3] == ["participant", "session", "video"]  # manifest columns first
    assert [(r["participant"], r["session"], r["leg"], r["status"]) for r in rows][:2] == [
        ("P02", "1", "left", "failed"),
        ("P02", "1", "right", "failed"),
    ]
    assert {r["participant"] for r in rows if r["status"] == "ok"} == {"P01"}


# ---- pieces, without video ------------------------------------------------------------------
def test_discovery_folders_globs_files_and_exclusions(tmp_path):
    for rel in ("a/x.MP4", "a/deep/y.mov", "a/z.txt", "a/.hid.mp4", "a/out/r.mp4", "b.mkv"):
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_bytes(b"0")
    items = discover_inputs([tmp_path / "a"], exclude=tmp_path / "a" / "out")
    assert [i.video for i in items] == ["deep/y.mov", "x.MP4"]
    assert [i.video for i in discover_inputs([str(tmp_path / "**" / "*")], exclude=tmp_path / "a" / "out")] == [
        (tmp_path / "a/deep/y.mov").as_posix(),
        (tmp_path / "a/x.MP4").as_posix(),
        (tmp_path / "b.mkv").as_posix(),
    ]
    assert len(discover_inputs([tmp_path / "a", tmp_path / "a" / "x.MP4"], exclude=tmp_path / "a" / "out")) == 2
    assert discover_inputs([tmp_path / "a" / "z.txt"])[0].video.endswith("z.txt")  # named explicitly: taken
    with pytest.raises(InputNotFoundError):
        discover_inputs([tmp_path / "nothing here"])
    with pytest.raises(InputNotFoundError):
        discover_inputs([str(tmp_path / "*.avi")])


def test_manifest_paths_columns_and_errors(tmp_path):
    (tmp_path / "v").mkdir()
    m = tmp_path / "m.csv"
    m.write_text("\ufeffpath,participant,visit\nv/1.mp4,P1,pre\n/abs/2.mp4,P2\n\n", encoding="utf-8")
    items = read_manifest(m)
    assert [i.path for i in items] == [str(tmp_path / "v" / "1.mp4"), "/abs/2.mp4"]
    assert items[0].meta == {"participant": "P1", "visit": "pre"} and items[1].meta["visit"] == ""
    m.write_text("file,participant\nv/1.mp4,P1\n", encoding="utf-8")
    with pytest.raises(ManifestError, match="'path' column"):
        read_manifest(m)
    m.write_text("path\nv/1.mp4\n./v/1.mp4\n", encoding="utf-8")
    with pytest.raises(ManifestError, match="listed twice"):
        read_manifest(m)
    assert main(["batch", "--manifest", str(m), "-o", str(tmp_path / "o")]) == 2


def test_output_names_never_collide_and_stay_inside():
    from lunge_screen.batch import BatchInput

    a = BatchInput("/data/s1/IMG_0001.mov", "s1/IMG_0001.mov")
    b = BatchInput("/data/s2/IMG_0001.mov", "s1/IMG_0001.mov")  # same display name, other file
    assert output_name(a) != output_name(b)
    assert output_name(a).startswith("s1__IMG_0001.mov-")
    evil = output_name(BatchInput("/x/../../etc/passwd", "../../etc/passwd"))
    assert "/" not in evil and not evil.startswith(".")
    assert len(output_name(BatchInput("/x", "é" * 500))) <= 90


def test_cli_usage_errors(tmp_path):
    f = tmp_path / "file"
    f.write_text("x", encoding="utf-8")
    assert main(["batch", str(tmp_path), "-o", str(f)]) == 10  # --out is a file: OutputError
    assert main(["batch", "-o", str(tmp_path / "o")]) == 2  # no inputs
    assert main(["batch", str(tmp_path / "missing"), "-o", str(tmp_path / "o")]) == 3
    assert main(["batch", str(tmp_path), "-o", str(tmp_path / "o"), "--threshold", "nope=1"]) == 2


def test_cohort_without_pyarrow_writes_csv_and_says_why(tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "pyarrow", None)  # import pyarrow -> ImportError
    entries = [CohortEntry("v.mp4", "/v.mp4", "videos/v", "failed", stage="read", error="bad", meta={"leg": "x"})]
    _, note = write_cohort(entries, tmp_path)
    assert "pyarrow is not installed" in note and "lunge-screen[parquet]" in note
    assert not (tmp_path / "cohort.parquet").exists()
    rows = read_cohort_csv(tmp_path / "cohort.csv")
    assert rows[0]["manifest_leg"] == "x" and rows[0]["leg"] == "left"  # a clashing manifest column is renamed
    assert rows[0]["error"] == "read: bad"


def test_cohort_asymmetry_columns_repeat_the_sessions_asymmetry_on_both_rows(tmp_path):
    from synth import lunge_series

    from lunge_screen.pipeline import analyse_series

    leads = ["left", "right"] * 3  # three per leg: min_reps_per_leg
    flagged = analyse_series(lunge_series(leads, {"left": 0.08})).result
    even = analyse_series(lunge_series(leads, {"left": 0.08, "right": 0.06})).result
    entries = [
        CohortEntry("a.mp4", "/a.mp4", "videos/a", "ok", flagged),
        CohortEntry("b.mp4", "/b.mp4", "videos/b", "ok", even),
        CohortEntry("c.mp4", "/c.mp4", "videos/c", "failed", stage="read", error="bad"),
    ]
    write_cohort(entries, tmp_path)
    rows = {(r["video"], r["leg"]): r for r in read_cohort_csv(tmp_path / "cohort.csv")}
    header = list(next(iter(rows.values())))
    asym = [c for c in header if c.startswith("asym_")]
    assert asym == [f"asym_{m}_{p}" for m in ("knee_over_foot_peak", "fppa_deg")
                    for p in ("difference", "exceeds_sdd", "worse_leg")]  # fmt: skip
    for leg in ("left", "right"):
        a, b, c = rows[("a.mp4", leg)], rows[("b.mp4", leg)], rows[("c.mp4", leg)]
        assert float(a["asym_knee_over_foot_peak_difference"]) == pytest.approx(0.19, abs=0.015)
        assert (a["asym_knee_over_foot_peak_exceeds_sdd"], a["asym_knee_over_foot_peak_worse_leg"]) == ("true", "left")
        assert float(b["asym_knee_over_foot_peak_difference"]) == pytest.approx(0.048, abs=0.015)
        assert (b["asym_knee_over_foot_peak_exceeds_sdd"], b["asym_knee_over_foot_peak_worse_leg"]) == ("false", "")
        assert all(c[col] == "" for col in asym)  # a failed video: empty, never zero


# ---- resume edge cases and the lock ----------------------------------------------------------
@pytest.mark.shared
def test_resume_retries_failures_keeps_no_person_and_redoes_on_model_or_version_change(tmp_path, monkeypatch):
    """README: failed inputs are retried on each run; a video with no person is a finished analysis and is not;
    a change of model or lunge-screen version redoes it."""
    require_shared()
    from lunge_screen.batch import jobs

    inputs = tmp_path / "in"
    inputs.mkdir()
    empty, nobody = inputs / "empty.mp4", inputs / "nobody.mp4"
    empty.write_bytes(b"")
    make_video(nobody, n=20, fps=15)
    out = tmp_path / "out"
    cmd = ["batch", str(inputs), "-o", str(out), "-j", "1", "--model", "lite", "--quiet"]

    assert main(cmd) == 11
    assert processed(log_events(out)[-1]) == {str(empty): "failed", str(nobody): "failed"}
    marker = json.loads(next(out.glob("videos/nobody.mp4-*/done.json")).read_text(encoding="utf-8"))
    assert (marker["status"], marker["stage"]) == ("failed", "analyse") and "no person" in marker["error"]

    assert main(cmd) == 11  # again: the unreadable file is retried, the finished no-person video is not
    assert processed(log_events(out)[-1]) == {str(empty): "failed"}
    assert next(e for e in log_events(out)[-1] if e.get("path") == str(nobody))["skipped"]

    assert main([*cmd[:-3], "--model", "full", "--quiet"]) == 11  # another model: redone
    assert processed(log_events(out)[-1]) == {str(empty): "failed", str(nobody): "failed"}

    monkeypatch.setattr(jobs, "__version__", "999.0")  # another lunge-screen version: redone
    assert main([*cmd[:-3], "--model", "full", "--quiet"]) == 11
    assert set(processed(log_events(out)[-1])) == {str(empty), str(nobody)}
    rows = read_cohort_csv(out / "cohort.csv")
    assert {r["video"]: r["status"] for r in rows} == {"empty.mp4": "failed", "nobody.mp4": "failed"}


@pytest.mark.shared
def test_two_batches_cannot_write_into_one_out(tmp_path):
    """While one batch holds ``--out`` (a second process here), another one stops with exit code 10."""
    require_shared()
    out = tmp_path / "out"
    (out / "videos").mkdir(parents=True)
    holder = subprocess.Popen(
        [sys.executable, "-c", "import sys, time; from pathlib import Path; from lunge_screen.batch import _locked\n"
         "with _locked(Path(sys.argv[1])):\n    print('locked', flush=True); time.sleep(60)", str(out)],
        stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert holder.stdout.readline().strip() == "locked"
        f = tmp_path / "a.mp4"
        f.write_bytes(b"")
        r = subprocess.run(
            [sys.executable, "-m", "lunge_screen", "batch", str(f), "-o", str(out), "--quiet"],
            capture_output=True, text=True, timeout=120,
        )  # fmt: skip
        assert r.returncode == 10, r.stderr
        assert "in use by another lunge-screen batch" in r.stderr
        assert not (out / "cohort.csv").exists() and not (out / "run_log.jsonl").exists()
    finally:
        holder.kill()
        holder.wait()
    assert main(["batch", str(f), "-o", str(out), "--quiet"]) == 11  # free again: the batch runs (and f fails)
