"""The ``lunge-screen`` command. Thin: parses arguments, calls the API, sets exit codes.

Exit codes are listed in :mod:`lunge_screen.errors` (0 success, 2 usage, 3-11 user errors).
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from . import __version__
from .errors import LungeScreenError, OutputError
from .models import MODEL_NAMES


def _threshold(text: str) -> tuple[str, float]:
    name, sep, value = text.partition("=")
    if not sep:
        raise argparse.ArgumentTypeError(f"expected NAME=VALUE, got {text!r}")
    try:
        return name.strip(), float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{name}: {value!r} is not a number") from None


def _positive_int(text: str) -> int:
    v = int(text)
    if v < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return v


def _workers(text: str) -> int | str:
    """``-j`` for one video: a positive number or ``auto``."""
    if text.strip().lower() == "auto":
        return "auto"
    return _positive_int(text)


def _add_extraction(p: argparse.ArgumentParser, per_video_workers: bool = True) -> None:
    from .pose import DEFAULT_MAX_FPS, DEFAULT_MAX_PEOPLE, DEFAULT_MAX_SIDE

    g = p.add_argument_group("pose extraction")
    g.add_argument(
        "--model",
        default=None,
        help=f"pose model: {', '.join(MODEL_NAMES)} (default full), a .task file or a folder holding one",
    )
    g.add_argument("--no-download", action="store_true", help="never download a missing model (fail instead)")
    g.add_argument("--start", type=float, default=None, metavar="S", help="analyse from this time (seconds)")
    g.add_argument("--end", type=float, default=None, metavar="S", help="analyse up to this time (seconds)")
    g.add_argument(
        "--max-fps",
        type=float,
        default=DEFAULT_MAX_FPS,
        metavar="FPS",
        help=f"cap the analysed frame rate for high-speed video (default {DEFAULT_MAX_FPS:g}; 0 = no cap)",
    )
    g.add_argument(
        "--max-side",
        type=int,
        default=DEFAULT_MAX_SIDE,
        metavar="PX",
        help=f"downscale frames to this longer side before the pose model (default {DEFAULT_MAX_SIDE}; 0 = never)",
    )
    g.add_argument(
        "--max-people",
        type=_positive_int,
        default=DEFAULT_MAX_PEOPLE,
        help="people tracked per frame (default %(default)s)",
    )
    if per_video_workers:
        g.add_argument(
            "-j",
            "--workers",
            type=_workers,
            default="auto",
            help="processes for this video (time segments), or 'auto': the usable cores when the video is long "
            "enough to pay for them (default auto; see benchmarks/RESULTS.md)",
        )
    g.add_argument("--quiet", action="store_true", help="no progress bar")


def _add_analysis(p: argparse.ArgumentParser) -> None:
    g = p.add_argument_group("screening")
    g.add_argument(
        "--threshold",
        type=_threshold,
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="override a screening threshold (repeatable), e.g. clearly_medial_min=0.25; see docs/measurement.md",
    )
    g.add_argument(
        "--subject",
        choices=("largest", "center", "left", "right"),
        default="largest",
        help="who to screen when several people are seen (default largest)",
    )


def _add_batch_parser(sub) -> None:
    b = sub.add_parser(
        "batch",
        help="screen many videos (folders, patterns, a manifest CSV) into one cohort table; resumable",
        description="Screen many videos into one output folder: one subfolder per video, cohort.csv/.parquet "
        "(one row per video x leg), failures.csv and run_log.jsonl. Rerun the same command to resume: videos "
        "already done with the same input, settings and model are skipped. Exit code 11 if any input failed.",
    )
    b.add_argument(
        "inputs", nargs="*", metavar="INPUT", help="folder (searched recursively), quoted glob pattern, or file"
    )
    b.add_argument("-o", "--out", required=True, help="output folder (created)")
    b.add_argument(
        "--manifest", metavar="CSV", help="CSV with a 'path' column; its other columns go into the cohort table"
    )
    b.add_argument(
        "--ext", default=None, help="comma-separated extensions looked for in folders (default: .mp4,.mov,...)"
    )
    b.add_argument(
        "-j", "--jobs", dest="workers", type=_positive_int, default=None, help="videos at once (default: usable cores)"
    )
    where = b.add_mutually_exclusive_group()
    where.add_argument("--dask", action="store_true", help="run on a new local Dask cluster of -j workers")
    where.add_argument("--scheduler", metavar="ADDRESS", help="run on the Dask cluster at ADDRESS (tcp://host:8786)")
    b.add_argument("--force", action="store_true", help="recompute every video, even those already done")
    b.add_argument("--report", action="store_true", help="also write each video's HTML report")
    b.add_argument("--video", action="store_true", help="also write each video's annotated video")
    b.add_argument("--no-frames", action="store_true", help="skip frames.csv")
    _add_extraction(b, per_video_workers=False)
    _add_analysis(b)


def _add_report(p: argparse.ArgumentParser) -> None:
    g = p.add_argument_group("clinician report")
    g.add_argument("--no-report", action="store_true", help="skip report.html, the plots and the key frames")
    g.add_argument("--no-video", action="store_true", help="skip the annotated video (the slowest output)")
    g.add_argument(
        "--blur-faces",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="blur faces in the annotated video and key frames (default: on)",
    )
    g.add_argument("--patient-name", default=None, metavar="TEXT", help="shown in the report only")
    g.add_argument("--patient-id", default=None, metavar="TEXT", help="shown in the report only")
    g.add_argument("--session-date", default=None, metavar="TEXT", help="shown in the report, e.g. 2024-05-31")
    g.add_argument("--clinician", default=None, metavar="TEXT", help="shown in the report only")
    g.add_argument("--note", default=None, metavar="TEXT", help="free-text note shown in the report")


def _report_options(args) -> dict:
    """OutputOptions fields of the report flags."""
    patient = {
        "name": args.patient_name,
        "id": args.patient_id,
        "session_date": args.session_date,
        "clinician": args.clinician,
        "note": args.note,
    }
    return {
        "report": not args.no_report,
        "video": not args.no_video,
        "blur_faces": args.blur_faces,
        "patient": {k: v for k, v in patient.items() if v},
    }


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="lunge-screen",
        description="Screen forward-lunge videos for knee valgus per leg (a screen, not a diagnosis).",
    )
    p.add_argument("--version", action="version", version=f"lunge-screen {__version__}")
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")

    a = sub.add_parser("analyse", aliases=["analyze"], help="screen one video (or a saved landmark .npz)")
    a.add_argument("input", help="video file, or a landmarks .npz from 'lunge-screen landmarks'")
    a.add_argument("-o", "--out", required=True, help="output folder (created; files are replaced atomically)")
    a.add_argument("--no-frames", action="store_true", help="skip frames.csv")
    a.add_argument("--json", action="store_true", help="print session.json to stdout instead of the summary table")
    _add_extraction(a)
    _add_analysis(a)
    _add_report(a)

    r = sub.add_parser(
        "report",
        help="rebuild the report, plots, key frames and annotated video from a session.json",
        description="Re-runs the analysis from the landmarks.npz beside SESSION.json with the session's recorded "
        "settings (no pose inference), then writes every output again.",
    )
    r.add_argument("session", metavar="SESSION.json", help="session.json written by 'lunge-screen analyse'")
    r.add_argument("-o", "--out", default=None, help="output folder (default: the session's folder)")
    r.add_argument("--video", default=None, metavar="PATH", help="the analysed video, if it has moved")
    _add_report(r)

    lm = sub.add_parser("landmarks", help="run the pose model and save the landmark series (.npz)")
    lm.add_argument("video")
    lm.add_argument("-o", "--out", required=True, help="output .npz file")
    _add_extraction(lm)

    _add_batch_parser(sub)

    sp = sub.add_parser(
        "samples",
        help="list, locate or download the sample clips (checksummed)",
        description="Sample clips are found by sha256 in $LUNGE_SCREEN_DATA_DIR, then the user cache; 'fetch' "
        "downloads those with a recorded address (see sample_videos/README.md).",
    )
    sp.add_argument(
        "action",
        choices=("list", "path", "fetch"),
        help="list: every clip and where a verified copy was found; path: print a clip's local path; "
        "fetch: download into the user cache",
    )
    sp.add_argument("name", nargs="?", default=None, help="a clip name from 'list' (default: every clip)")
    sp.add_argument("--fetch", action="store_true", help="with 'path': download the clip if it is not found")

    m = sub.add_parser("models", help="show where models are found, or download one (checksummed)")
    m.add_argument("action", choices=("where", "fetch"))
    m.add_argument("name", nargs="?", default="full", choices=MODEL_NAMES)
    return p


def _progress(args):
    if getattr(args, "quiet", False):
        return None, None
    from .progress import ProgressBar

    bar = ProgressBar("pose")
    return bar, bar


def _extract_options(args) -> dict:
    return {
        "model": args.model,
        "download": not args.no_download,
        "start": args.start,
        "end": args.end,
        "max_fps": args.max_fps or None,
        "max_side": args.max_side or None,
        "max_people": args.max_people,
        "workers": args.workers,
    }


def _summary_table(result) -> str:
    lines = [result.finding.summary, ""]
    lines.append(f"{'leg':<6} {'reps':>4} {'valid':>5} {'inward':>6} {'KOF peak':>9} {'KMD chg':>8} {'FPPA':>6}")
    for leg in ("left", "right"):
        s = result.legs[leg]

        def f(v, fmt):
            return format(v, fmt) if v is not None else "-"

        lines.append(
            f"{leg:<6} {s.n_reps:>4} {s.n_valid:>5} {s.n_inward:>6} {f(s.knee_over_foot_peak_median, '+9.2f'):>9} "
            f"{f(s.kmd_change_median, '+8.2f'):>8} {f(s.fppa_median_deg, '+6.0f'):>6}"
        )
    if result.warnings:
        lines.append("")
        lines.extend(f"warning: {w.message}" for w in result.warnings)
    return "\n".join(lines)


def _prestart(video: str, opts: dict) -> None:
    """Set helper processes to work on the video's later segments while this process loads the analysis code."""
    from .pose import ExtractSettings, prestart

    keys = ("max_people", "max_fps", "max_side", "start", "end")
    settings = ExtractSettings(**{k: opts[k] for k in keys})
    prestart(video, model=opts["model"], settings=settings, workers=opts["workers"], download=opts["download"])


def cmd_analyse(args) -> int:
    from .screening import Thresholds

    out = Path(args.out)
    if out.exists() and not out.is_dir():
        raise OutputError(f"{out} exists and is not a folder")
    opts = _extract_options(args)
    thresholds = dict(args.threshold)
    try:
        Thresholds.with_overrides(thresholds)  # validate before any inference
    except ValueError as exc:
        print(f"lunge-screen: error: {exc}", file=sys.stderr)
        return 2
    if not str(args.input).lower().endswith(".npz"):
        _prestart(args.input, opts)
    from .api import analyse_path
    from .outputs import OutputOptions, write_outputs

    bar, progress = _progress(args)
    try:
        series, analysis = analyse_path(
            args.input, thresholds=thresholds, subject=args.subject, progress=progress, **opts
        )
    finally:
        if bar:
            bar.close()
    is_video = not str(args.input).lower().endswith(".npz")
    options = OutputOptions(frames_csv=not args.no_frames, landmarks=is_video, **_report_options(args))
    written = write_outputs(analysis, series, out, video_path=args.input if is_video else None, options=options)
    if args.json:
        print(analysis.result.to_json())
    else:
        print(_summary_table(analysis.result))
        print(f"\nresults in {out}/")
        if any(p.name == "report.html" for p in written):
            print(f"report: {out / 'report.html'}")
    return 0


def cmd_report(args) -> int:
    from .outputs import OutputOptions, write_outputs
    from .report.build import load_session

    session = Path(args.session)
    out = Path(args.out) if args.out else session.parent
    if out.exists() and not out.is_dir():
        raise OutputError(f"{out} exists and is not a folder")
    series, analysis, video = load_session(session, args.video)
    same = out.resolve() == session.parent.resolve()
    options = OutputOptions(landmarks=not same, **_report_options(args))
    written = write_outputs(analysis, series, out, video_path=video, options=options)
    print(analysis.result.finding.summary)
    print(f"\n{len(written)} file(s) written in {out}/")
    if any(p.name == "report.html" for p in written):
        print(f"report: {out / 'report.html'}")
    return 0


def cmd_landmarks(args) -> int:
    from .api import extract

    out = Path(args.out)
    bar, progress = _progress(args)
    try:
        series = extract(args.video, progress=progress, **_extract_options(args))
    finally:
        if bar:
            bar.close()
    series.save(out)
    print(f"{series.n_frames} frames -> {out}")
    return 0


def cmd_models(args) -> int:
    from .models import ENV_MODEL_DIR, cache_dir, resolve_model

    if args.action == "where":
        print(f"{ENV_MODEL_DIR}={os.environ.get(ENV_MODEL_DIR, '')}")
        print(f"cache: {cache_dir()}")
        m = resolve_model(args.name, download=False)
        print(f"{args.name}: {m.path} (sha256 {m.sha256})")
        return 0
    m = resolve_model(args.name, download=True)
    print(f"{args.name}: {m.path} (sha256 {m.sha256}, verified)")
    return 0


def cmd_samples(args) -> int:
    from .samples import locate, manifest, sample_path

    if args.action == "list":
        for s in manifest():
            path, rejected = locate(s.name)
            where = str(path) if path else (f"{rejected[0]} (sha256 differs: refused)" if rejected else "not found")
            print(f"{s.name:<40} {s.size / 1e6:6.1f} MB  {s.shows}\n{'':<40} local: {where}")
        return 0
    names = [args.name] if args.name else [s.name for s in manifest()]
    for name in names:
        print(sample_path(name, fetch=args.fetch or args.action == "fetch"))
    return 0


def cmd_batch(args) -> int:
    from .batch import VIDEO_EXTENSIONS, run_batch
    from .errors import BatchFailuresError
    from .outputs import OutputOptions
    from .pose import ExtractSettings
    from .screening import Thresholds

    if not args.inputs and not args.manifest:
        print("lunge-screen: error: give input folders, patterns or files, or --manifest", file=sys.stderr)
        return 2
    thresholds = dict(args.threshold)
    try:
        Thresholds.with_overrides(thresholds)
    except ValueError as exc:
        print(f"lunge-screen: error: {exc}", file=sys.stderr)
        return 2
    summary = run_batch(
        args.inputs,
        args.out,
        manifest=args.manifest,
        extensions=args.ext.split(",") if args.ext else VIDEO_EXTENSIONS,
        model=args.model,
        download=not args.no_download,
        extract=ExtractSettings(
            max_people=args.max_people,
            max_fps=args.max_fps or None,
            max_side=args.max_side or None,
            start=args.start,
            end=args.end,
        ),
        thresholds=thresholds,
        subject=args.subject,
        outputs=OutputOptions(frames_csv=not args.no_frames, report=args.report, video=args.video),
        workers=args.workers,
        scheduler=args.scheduler or ("dask" if args.dask else None),
        force=args.force,
        progress=not args.quiet,
    )
    print(summary.describe())
    if summary.n_failed:
        raise BatchFailuresError(f"{summary.n_failed} of {len(summary.records)} input(s) failed; see failures.csv")
    return 0


COMMANDS = {
    "analyse": cmd_analyse,
    "analyze": cmd_analyse,
    "landmarks": cmd_landmarks,
    "report": cmd_report,
    "batch": cmd_batch,
    "models": cmd_models,
    "samples": cmd_samples,
}


def _exit_now(code: int) -> None:
    """End the program without the interpreter's teardown, which MediaPipe makes take ~0.3 s.

    Only for the command-line program (``main()`` without ``argv``), after every
    output file is closed, and only when no other thread runs: stops the helper
    processes, flushes stdout/stderr, runs the ``atexit`` handlers, then
    ``os._exit`` (what mypy does for the same reason). ``LUNGE_SCREEN_SLOW_EXIT=1``
    turns it off.
    """
    import atexit
    import contextlib
    import threading

    pose = sys.modules.get(f"{__package__}.pose")
    if pose is not None:
        pose.shutdown_workers(kill=True)
    if threading.active_count() > 1:  # someone's thread still runs: let Python wait for it as usual
        return
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):
            stream.flush()
    atexit._run_exitfuncs()
    os._exit(code)


def main(argv: Sequence[str] | None = None) -> int:
    code = _main(argv)
    if argv is None and os.environ.get("LUNGE_SCREEN_SLOW_EXIT") is None:
        _exit_now(code)
    return code


def _main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return COMMANDS[args.command](args)
    except LungeScreenError as exc:
        print(f"lunge-screen: error: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("lunge-screen: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # e.g. `lunge-screen samples list | head`
        sys.stderr.close()
        return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
