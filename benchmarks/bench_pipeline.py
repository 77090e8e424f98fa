"""One-command speed benchmark of ``lunge-screen analyse`` against the inference floor and the tutorial loop.

Run from the project root (``LUNGE_SCREEN_MODEL_DIR`` defaults to ``../shared/models``)::

    .venv/bin/python -m benchmarks.bench_pipeline            # everything, ~10 min on a quiet 2-core machine
    .venv/bin/python benchmarks/bench_pipeline.py            # the same
    .venv/bin/python -m benchmarks.bench_pipeline --quick    # squat clip + 15 s 1080p/4K copies, full model

For every clip in ``../shared/videos`` and for the squat clip upscaled to 1080p
and 4K (15 s, and looped to 2 minutes; made once in ``benchmarks/out/clips/``),
each measured in its own process, so times include Python start-up, imports and
model load:

* **ours** -- ``lunge-screen analyse CLIP -o DIR --quiet --no-report --no-video``
  with default settings (``-j auto``): landmarks, analysis, session.json/reps.csv/
  frames.csv/landmarks.npz. Timed via :mod:`benchmarks.run_cli` (the CLI's own
  ``main`` with timers around its stages);
* **tutorial** -- :mod:`benchmarks.tutorial`, the peer baseline;
* **floor** -- :mod:`benchmarks.floor`, bare single-stream inference on frames
  already in memory.

and, on the squat clip, ``analyse`` with its full default outputs (HTML report and
annotated video) and with ``-j 1``. The full model runs on everything; lite and
heavy on the shared clips. Prints tables and writes ``benchmarks/out/bench.json``
(every run's raw record, the machine, load averages, the command) and the same
tables in Markdown in ``benchmarks/out/bench.md`` (for ``benchmarks/RESULTS.md``).
``--from-json FILE`` re-prints the tables of an earlier run without running anything.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

if not __package__:  # run as a script: python benchmarks/bench_pipeline.py
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.clips import make_clip
from benchmarks.common import OUT, ROOT, SHARED, SHARED_VIDEOS, machine_info

SQUAT = "squat_front_valgus_then_neutral.mp4"
PIPELINE_ARGS = ["--quiet", "--no-report", "--no-video"]
TARGETS = {
    "squat_vs_tutorial": 1.5,  # x faster than the tutorial loop, whole process
    "long1080_vs_tutorial": 1.8,
    "k4_over_1080_per_frame": 1.25,  # at most this many times the 1080p cost per frame
    "memory_growth": 1.15,  # peak RSS of the 2-minute clip over the 15 s one, at most
}


def _bench_json(stdout: str) -> dict:
    for line in stdout.splitlines():
        if line.startswith("BENCH-JSON "):
            return json.loads(line[len("BENCH-JSON ") :])
    raise RuntimeError("no BENCH-JSON line in the output")


def measure(cmd: list[str], env: dict) -> dict:
    """Run ``cmd`` as a process; its wall time, CPU time (with its children), load and BENCH-JSON record."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    load = os.getloadavg()[0]
    t0 = time.perf_counter()
    run = subprocess.run(cmd, capture_output=True, text=True, env=env, cwd=ROOT)
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if run.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed ({run.returncode}):\n{run.stderr[-3000:]}")
    rec = _bench_json(run.stdout)
    rec.update(
        wall_s=wall,
        cpu_total_s=(after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime),
        load_before=load,
        cmd=cmd,
    )
    return rec


class Bench:
    """Runs and collects the measurements."""

    def __init__(self, env: dict, repeat: int, log=print) -> None:
        self.env, self.repeat, self.log = env, repeat, log
        self.tmp = Path(tempfile.mkdtemp(prefix="lunge-bench-"))
        self.runs: list[dict] = []

    def _record(self, kind: str, clip: Path, model: str, rec: dict, **extra) -> dict:
        rec.update(kind=kind, clip=clip.name, model=model, **extra)
        self.runs.append(rec)
        return rec

    def ours(self, clip: Path, model: str, extra_args: list[str] | None = None, label: str = "ours") -> dict:
        out = self.tmp / f"{clip.stem}-{model}-{label}"
        args = ["analyse", str(clip), "-o", str(out), "--model", model, *(extra_args or PIPELINE_ARGS)]
        rec = measure([sys.executable, "-m", "benchmarks.run_cli", *args], self.env)
        shutil.rmtree(out, ignore_errors=True)
        return self._record(label, clip, model, rec)

    def tutorial(self, clip: Path, model: str, limit: int = 0) -> dict:
        cmd = [sys.executable, "-m", "benchmarks.tutorial", str(clip), "--model", model]
        if limit:
            cmd += ["--limit", str(limit)]
        return self._record("tutorial", clip, model, measure(cmd, self.env))

    def floor(self, clip: Path, model: str) -> dict:
        cmd = [sys.executable, "-m", "benchmarks.floor", str(clip), "--model", model]
        return self._record("floor", clip, model, measure(cmd, self.env))

    def clip_set(self, clip: Path, model: str, *, tutorial: bool = True, repeat: int = 1) -> None:
        """ours, tutorial and floor on one clip (interleaved when repeated, so load drifts hit both)."""
        for _ in range(repeat):
            r = self.ours(clip, model)
            self.log(f"  {clip.name:<48} {model:<5} ours     {r['wall_s']:7.2f} s  (load {r['load_before']:.1f})")
            if tutorial:
                t = self.tutorial(clip, model)
                self.log(f"  {clip.name:<48} {model:<5} tutorial {t['wall_s']:7.2f} s  (load {t['load_before']:.1f})")
        f = self.floor(clip, model)
        self.log(f"  {clip.name:<48} {model:<5} floor    {f['floor_s']:7.2f} s  ({f['ms_per_frame']:.2f} ms/frame)")


def _median(values):
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


def summarise(runs: list[dict], durations: dict[str, tuple[float, int]]) -> list[dict]:
    """One row per clip and model: medians of the repeated runs and the ratios."""
    rows = []
    keys = sorted({(r["clip"], r["model"]) for r in runs if r["kind"] == "ours"}, key=lambda k: (k[1] != "full", k))
    for clip, model in keys:
        ours = [r for r in runs if r["kind"] == "ours" and r["clip"] == clip and r["model"] == model]
        tut = [r for r in runs if r["kind"] == "tutorial" and r["clip"] == clip and r["model"] == model]
        flo = [r for r in runs if r["kind"] == "floor" and r["clip"] == clip and r["model"] == model]
        seconds, frames = durations[clip]
        wall = _median([r["wall_s"] for r in ours])
        tut_wall = _median([r["wall_s"] for r in tut if r["frames"] == frames]) if tut else None
        floor_s = flo[0]["floor_s"] if flo else None
        ex = ours[0].get("extract", {})
        n = max(1, ex.get("frames", frames) - ex.get("warmup_frames", 0))
        rows.append(
            {
                "clip": clip,
                "model": model,
                "video_s": seconds,
                "frames": frames,
                "segments": ex.get("segments"),
                "runs": len(ours),
                "wall_s": wall,
                "fps": frames / wall,
                "rtf": wall / seconds,
                "tutorial_s": tut_wall,
                "floor_s": floor_s,
                "speedup_vs_tutorial": tut_wall / wall if tut_wall else None,
                "ratio_to_floor": wall / floor_s if floor_s else None,
                "ms_per_frame": {  # decode/convert: CPU of the decode threads; inference/wait: wall, summed
                    "decode": 1000 * ex.get("decode_cpu_s", 0) / n,
                    "convert": 1000 * ex.get("convert_cpu_s", 0) / n,
                    "inference": 1000 * ex.get("inference_s", 0) / n,
                    "wait": 1000 * ex.get("wait_s", 0) / n,
                    "cpu_total": 1000 * _median([r["cpu_total_s"] for r in ours]) / frames,
                },
                "stage_s": {
                    "start_up": ours[0]["import_s"],
                    "model_load": ex.get("model_s", 0),
                    "extract": _median([r.get("extract_s") for r in ours]),
                    "analysis": _median([r.get("analysis_s") for r in ours]),
                    "outputs": _median([r.get("outputs_s") for r in ours]),
                },
                "cpu_s": _median([r["cpu_total_s"] for r in ours]),
                "peak_rss_mb": max(r["peak_rss_mb"] for r in ours),
                "helper_peak_rss_mb": max(r["helper_peak_rss_mb"] for r in ours),
                "load": _median([r["load_before"] for r in ours]),
            }
        )
    return rows


def print_tables(rows: list[dict], extra: list[dict]) -> None:
    def f(v, fmt):
        return "-" if v is None else format(v, fmt)

    print(
        f"\n{'clip':<44} {'model':<5} {'frames':>6} {'seg':>3} {'wall s':>7} {'fps':>6} {'RTF':>5} "
        f"{'tutor s':>7} {'floor s':>7} {'x tut':>6} {'/floor':>6} {'RSS MB':>7} {'load':>5}"
    )
    for r in rows:
        print(
            f"{r['clip'][:44]:<44} {r['model']:<5} {r['frames']:>6} {f(r['segments'], 'd'):>3} {r['wall_s']:7.2f} "
            f"{r['fps']:6.1f} {r['rtf']:5.2f} {f(r['tutorial_s'], '7.2f'):>7} {f(r['floor_s'], '7.2f'):>7} "
            f"{f(r['speedup_vs_tutorial'], '6.2f'):>6} {f(r['ratio_to_floor'], '6.2f'):>6} "
            f"{max(r['peak_rss_mb'], r['helper_peak_rss_mb']):7.0f} {r['load']:5.1f}"
        )
    print(
        f"\n{'stages (full model)':<44} {'start':>6} {'model':>6} {'extract':>8} {'analys':>7} {'output':>7}"
        f"   ms/frame: {'dec cpu':>7} {'conv cpu':>8} {'in MP':>6} {'wait':>5} {'all cpu':>7}"
    )
    for r in rows:
        if r["model"] != "full":
            continue
        s, m = r["stage_s"], r["ms_per_frame"]
        print(
            f"{r['clip'][:44]:<44} {s['start_up']:6.2f} {s['model_load']:6.2f} {s['extract']:8.2f} "
            f"{s['analysis']:7.2f} {s['outputs']:7.2f}   {'':>9} {m['decode']:7.2f} {m['convert']:8.2f} "
            f"{m['inference']:6.2f} {m['wait']:5.2f} {m['cpu_total']:7.2f}"
        )
    if extra:
        print("\nsquat clip, other settings:")
        for r in extra:
            print(
                f"  {r['label']:<40} wall {r['wall_s']:6.2f} s  outputs {f(r.get('outputs_s'), '.2f')} s  "
                f"cpu {r['cpu_total_s']:.2f} s"
            )


def markdown(result: dict) -> str:
    """The result's tables in Markdown (for ``benchmarks/RESULTS.md``)."""

    def f(v, fmt):
        return "–" if v is None else format(v, fmt)

    m = result["machine"]
    lines = [
        f"Machine: {m['cpu']}, {m['cores']} cores, {m['memory_gb']} GB, {m['platform']}; Python {m['python']}, "
        f"MediaPipe {m['mediapipe']}, PyAV {m['av']}, OpenCV {m['opencv']}; commit {m['commit']}.",
        f"Date: {m['date']}. Command: `{result['command']}` ({result['elapsed_s'] / 60:.1f} min). "
        f"Load average at start {m['loadavg'][0]:.2f}, at end {result['machine_end_loadavg'][0]:.2f}.",
        "",
        "| clip | model | frames | processes | wall s | frames/s | RTF | tutorial s | floor s "
        "| × faster than tutorial | ÷ floor | peak RSS MB (main / helper) | load |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|",
    ]
    for r in result["rows"]:
        lines.append(
            f"| {r['clip'].removesuffix('.mp4')} | {r['model']} | {r['frames']} | {f(r['segments'], 'd')} "
            f"| {r['wall_s']:.2f} | {r['fps']:.1f} | {r['rtf']:.2f} | {f(r['tutorial_s'], '.2f')} "
            f"| {f(r['floor_s'], '.2f')} | {f(r['speedup_vs_tutorial'], '.2f')} | {f(r['ratio_to_floor'], '.2f')} "
            f"| {r['peak_rss_mb']:.0f} / {r['helper_peak_rss_mb']:.0f} | {r['load']:.1f} |"
        )
    lines += [
        "",
        "Stages (full model). Seconds of the main process's timeline (start-up = Python and imports; "
        "model load summed over processes), then per analysed frame, summed over processes: CPU time of "
        "decoding and of conversion (scaling, RGB, rotation), time inside MediaPipe and waiting for a decoded "
        "frame (wall), and the whole run's CPU time per video frame:",
        "",
        "| clip | start-up s | model load s | extraction s | analysis s | outputs s "
        "| decode CPU ms | convert CPU ms | in MediaPipe ms | waiting ms | all CPU ms/frame |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in result["rows"]:
        if r["model"] != "full":
            continue
        s, pf = r["stage_s"], r["ms_per_frame"]
        lines.append(
            f"| {r['clip'].removesuffix('.mp4')} | {s['start_up']:.2f} | {s['model_load']:.2f} | {s['extract']:.2f} "
            f"| {s['analysis']:.2f} | {s['outputs']:.2f} | {pf['decode']:.2f} | {pf['convert']:.2f} "
            f"| {pf['inference']:.2f} | {pf['wait']:.2f} | {pf.get('cpu_total', 0):.2f} |"
        )
    if result.get("variants"):
        lines += ["", "| squat clip, other settings | wall s | outputs s | CPU s |", "|---|---:|---:|---:|"]
        for r in result["variants"]:
            outputs = f(r.get("outputs_s"), ".2f")
            lines.append(f"| {r['label']} | {r['wall_s']:.2f} | {outputs} | {r['cpu_total_s']:.2f} |")
    lines += ["", "| target | measured | target | met |", "|---|---:|---|---|"]
    for name, t in result["targets"].items():
        lines.append(f"| {name} | {t['value']:.2f} | {t['target']} | {'yes' if t['met'] else '**no**'} |")
    return "\n".join(lines) + "\n"


def evaluate(rows: list[dict], names: dict[str, str]) -> dict:
    """The issue's targets: measured value, target, met or not (None when not measured in this run)."""
    by = {(r["clip"], r["model"]): r for r in rows}

    def row(key):
        return by.get((names.get(key, ""), "full"))

    out = {}
    squat, long1080, k4, short1080 = row("squat"), row("long1080"), row("long4k"), row("short1080")
    if squat and squat["speedup_vs_tutorial"]:
        v = squat["speedup_vs_tutorial"]
        out["squat_vs_tutorial"] = {"value": v, "target": ">= 1.5", "met": v >= TARGETS["squat_vs_tutorial"]}
    if long1080 and long1080["speedup_vs_tutorial"]:
        v = long1080["speedup_vs_tutorial"]
        out["long1080_vs_tutorial"] = {"value": v, "target": ">= 1.8", "met": v >= TARGETS["long1080_vs_tutorial"]}
    pairs = [(long1080, k4, "2 min"), (row("short1080"), row("short4k"), "15 s")]
    for a, b, what in pairs:
        if a and b:
            v = (b["wall_s"] / b["frames"]) / (a["wall_s"] / a["frames"])
            out[f"4k_over_1080_per_frame_{what}"] = {
                "value": v,
                "target": "<= 1.25",
                "met": v <= TARGETS["k4_over_1080_per_frame"],
            }
    if long1080 and short1080:
        grow = max(long1080["peak_rss_mb"], long1080["helper_peak_rss_mb"]) / max(
            short1080["peak_rss_mb"], short1080["helper_peak_rss_mb"]
        )
        met = grow <= TARGETS["memory_growth"]
        out["memory_2min_over_15s"] = {"value": grow, "target": "<= 1.15 (flat)", "met": met}
    return out


def _made_names() -> dict[str, str]:
    """Names of the made clips, as :func:`benchmarks.clips.make_clip` writes them."""
    stem = Path(SQUAT).stem
    return {
        "short1080": f"{stem}_1080x1920.mp4",
        "short4k": f"{stem}_2160x3840.mp4",
        "long1080": f"{stem}_1080x1920_120s.mp4",
        "long4k": f"{stem}_2160x3840_120s.mp4",
    }


def recompute(result: dict) -> dict:
    """Rows and targets again from the raw runs of a saved result (durations probed if not saved)."""
    from lunge_screen.io.video import probe

    durations = {k: tuple(v) for k, v in result.get("durations", {}).items()}
    for name in {r["clip"] for r in result["runs"]} - set(durations):
        path = SHARED_VIDEOS / name if (SHARED_VIDEOS / name).exists() else OUT / "clips" / name
        info = probe(path)
        durations[name] = (info.duration + 1 / max(info.fps, 1), info.n_frames)
    rows = summarise([r for r in result["runs"] if r["kind"] != "variant"], durations)
    return {**result, "rows": rows, "targets": evaluate(rows, {"squat": SQUAT, **_made_names()})}


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--quick", action="store_true", help="squat clip and 15 s 1080p/4K copies, full model (~2 min)")
    p.add_argument("--models", default="lite,full,heavy", help="models to run on the shared clips")
    p.add_argument("--repeat", type=int, default=3, help="runs of ours and the tutorial on the squat clip")
    p.add_argument("--json", default=str(OUT / "bench.json"))
    p.add_argument("--from-json", metavar="FILE", help="only re-render the Markdown tables of an earlier run")
    args = p.parse_args(argv)
    if args.from_json:
        print(markdown(recompute(json.loads(Path(args.from_json).read_text()))), end="")
        return 0
    env = dict(os.environ)
    env.setdefault("LUNGE_SCREEN_MODEL_DIR", str(SHARED / "models"))
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    started = time.perf_counter()
    machine = machine_info()
    print(f"{machine['cpu']}, {machine['cores']} cores, {machine['memory_gb']} GB; load {machine['loadavg']}")

    squat = SHARED_VIDEOS / SQUAT
    print("making the upscaled/looped clips (cached in benchmarks/out/clips/) ...")
    made = {
        "short1080": make_clip(squat, height=1080),
        "short4k": make_clip(squat, height=2160),
    }
    if not args.quick:
        made["long1080"] = make_clip(squat, height=1080, seconds=120)
        made["long4k"] = make_clip(squat, height=2160, seconds=120)
    names = {"squat": SQUAT, **{k: v.name for k, v in made.items()}}
    shared_clips = [squat] if args.quick else sorted(SHARED_VIDEOS.glob("*.mp4"))
    models = ["full"] if args.quick else [m for m in args.models.split(",") if m]

    from lunge_screen.io.video import probe

    durations = {}
    for clip in [*shared_clips, *made.values()]:
        info = probe(clip)
        durations[clip.name] = (info.duration + 1 / max(info.fps, 1), info.n_frames)

    bench = Bench(env, args.repeat)
    print("runs:")
    bench.clip_set(squat, "full", repeat=args.repeat)
    for clip in shared_clips:
        if clip != squat:
            bench.clip_set(clip, "full")
    for key, clip in made.items():
        bench.clip_set(clip, "full", tutorial=key != "long4k")  # the tutorial on 2 min of 4K alone takes ~2 min
    extra = []
    for label, xargs in (
        ("analyse, all default outputs (report, video)", ["--quiet"]),
        ("analyse -j 1 (one process)", [*PIPELINE_ARGS, "-j", "1"]),
    ):
        r = bench.ours(squat, "full", xargs, label="variant")
        r["label"] = label
        extra.append(r)
        print(f"  {SQUAT:<48} full  {label}: {r['wall_s']:.2f} s")
    for model in models:
        if model == "full":
            continue
        for clip in shared_clips:
            bench.clip_set(clip, model)

    rows = summarise([r for r in bench.runs if r["kind"] != "variant"], durations)
    print_tables(rows, extra)
    targets = evaluate(rows, names)
    print("\ntargets (full model, default settings, whole process):")
    for name, t in targets.items():
        print(f"  {name:<34} {t['value']:6.2f}  target {t['target']:<16} {'met' if t['met'] else 'NOT met'}")
    elapsed = time.perf_counter() - started
    print(f"\nbenchmark took {elapsed / 60:.1f} min; load average now {os.getloadavg()}")
    result = {
        "command": " ".join([Path(sys.executable).name, "-m", "benchmarks.bench_pipeline", *(argv or sys.argv[1:])]),
        "machine": machine,
        "machine_end_loadavg": list(os.getloadavg()),
        "elapsed_s": elapsed,
        "rows": rows,
        "targets": targets,
        "durations": durations,
        "variants": extra,
        "runs": bench.runs,
    }
    Path(args.json).parent.mkdir(parents=True, exist_ok=True)
    Path(args.json).write_text(json.dumps(result, indent=1, default=str))
    md = Path(args.json).with_suffix(".md")
    md.write_text(markdown(result))
    print(f"-> {args.json}, {md}")
    shutil.rmtree(bench.tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
