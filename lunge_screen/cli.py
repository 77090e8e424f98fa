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


def _add_extraction(p: argparse.ArgumentParser) -> None:
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
    g.add_argument(
        "-j", "--workers", type=_positive_int, default=1, help="processes for this video (time segments; default 1)"
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

    lm = sub.add_parser("landmarks", help="run the pose model and save the landmark series (.npz)")
    lm.add_argument("video")
    lm.add_argument("-o", "--out", required=True, help="output .npz file")
    _add_extraction(lm)

    sp = sub.add_parser("samples", help="list, locate or download the sample clips (checksummed)")
    sp.add_argument("action", choices=("list", "path", "fetch"))
    sp.add_argument("name", nargs="?", default=None)
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


def cmd_analyse(args) -> int:
    from .api import analyse_path
    from .outputs import OutputOptions, write_outputs
    from .screening import Thresholds

    out = Path(args.out)
    if out.exists() and not out.is_dir():
        raise OutputError(f"{out} exists and is not a folder")
    bar, progress = _progress(args)
    opts = _extract_options(args)
    thresholds = dict(args.threshold)
    try:
        Thresholds.with_overrides(thresholds)  # validate before any inference
    except ValueError as exc:
        print(f"lunge-screen: error: {exc}", file=sys.stderr)
        return 2
    try:
        series, analysis = analyse_path(
            args.input, thresholds=thresholds, subject=args.subject, progress=progress, **opts
        )
    finally:
        if bar:
            bar.close()
    is_video = not str(args.input).lower().endswith(".npz")
    options = OutputOptions(frames_csv=not args.no_frames, landmarks=is_video)
    write_outputs(analysis, series, out, video_path=args.input if is_video else None, options=options)
    if args.json:
        print(analysis.result.to_json())
    else:
        print(_summary_table(analysis.result))
        print(f"\nresults in {out}/")
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
    from .samples import manifest, sample_path

    if args.action == "list":
        for s in manifest():
            print(f"{s.name:<40} {s.size / 1e6:6.1f} MB  {s.shows}")
        return 0
    names = [args.name] if args.name else [s.name for s in manifest()]
    for name in names:
        print(sample_path(name, fetch=args.fetch or args.action == "fetch"))
    return 0


COMMANDS = {
    "analyse": cmd_analyse,
    "analyze": cmd_analyse,
    "landmarks": cmd_landmarks,
    "models": cmd_models,
    "samples": cmd_samples,
}


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return COMMANDS[args.command](args)
    except LungeScreenError as exc:
        print(f"lunge-screen: error: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("lunge-screen: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
