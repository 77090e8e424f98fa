"""The ``lunge-screen`` command line's arguments: every subcommand and flag (docs/cli.md is generated from it)."""

from __future__ import annotations

import argparse

from .. import __version__
from ..io.models import MODEL_NAMES
from ..types import SUBJECT_RULES


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


def _add_config(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--config",
        metavar="FILE.toml",
        default=None,
        help="settings file (TOML; 'lunge-screen config --defaults' prints every setting); flags override it",
    )


def _add_extraction(p: argparse.ArgumentParser, short_j: bool = True) -> None:
    from ..settings import DEFAULT_MAX_FPS, DEFAULT_MAX_PEOPLE, DEFAULT_MAX_SIDE

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
        default=None,
        metavar="FPS",
        help=f"cap the analysed frame rate for high-speed video (default {DEFAULT_MAX_FPS:g}; 0 = no cap)",
    )
    g.add_argument(
        "--max-side",
        type=int,
        default=None,
        metavar="PX",
        help=f"downscale frames to this longer side before the pose model (default {DEFAULT_MAX_SIDE}; 0 = never)",
    )
    g.add_argument(
        "--max-people",
        type=_positive_int,
        default=None,
        help=f"people tracked per frame (default {DEFAULT_MAX_PEOPLE})",
    )
    flags = ("-j", "--workers") if short_j else ("--workers",)
    g.add_argument(
        *flags,
        type=_workers,
        default="auto" if short_j else 1,
        help="processes for each video (time segments), or 'auto': the usable cores when the video is long "
        f"enough to pay for them (default {'auto' if short_j else 1}; see benchmarks/RESULTS.md)",
    )
    g.add_argument("--quiet", action="store_true", help="no progress bar")


def _add_analysis(p: argparse.ArgumentParser, report: bool = False) -> None:
    g = p.add_argument_group("screening" + (" (default: the session's recorded settings)" if report else ""))
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
        choices=SUBJECT_RULES,
        default=None,
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
        "--manifest",
        metavar="CSV",
        help="CSV with a 'path' column; its other columns go into the cohort table; with 'participant' and "
        "'session' columns also changes.csv (each participant's sessions in the listed order, compared)",
    )
    b.add_argument(
        "--ext", default=None, help="comma-separated extensions looked for in folders (default: .mp4,.mov,...)"
    )
    b.add_argument("-j", "--jobs", type=_positive_int, default=None, help="videos at once (default: usable cores)")
    where = b.add_mutually_exclusive_group()
    where.add_argument("--dask", action="store_true", help="run on a new local Dask cluster of -j workers")
    where.add_argument("--scheduler", metavar="ADDRESS", help="run on the Dask cluster at ADDRESS (tcp://host:8786)")
    b.add_argument("--force", action="store_true", help="recompute every video, even those already done")
    b.add_argument("--report", action="store_true", help="also write each video's HTML report")
    b.add_argument(
        "--annotated-video",
        "--video",  # the old spelling, kept working
        dest="annotated_video",
        action="store_true",
        help="also write each video's annotated video (old spelling: --video)",
    )
    b.add_argument("--no-frames", action="store_true", help="skip frames.csv")
    _add_extraction(b, short_j=False)
    _add_analysis(b)
    _add_config(b)


def _add_report(p: argparse.ArgumentParser) -> None:
    g = p.add_argument_group("clinician report")
    g.add_argument(
        "--no-report",
        action="store_true",
        help="skip the whole clinician's report: report.html, the plots, the key frames and the annotated video",
    )
    g.add_argument(
        "--no-video", action="store_true", help="skip only the annotated video (the slowest output); keep the report"
    )
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


def _add_analyse_parser(sub) -> None:
    """``analyse``: one video or landmark file."""
    a = sub.add_parser("analyse", aliases=["analyze"], help="screen one video (or a saved landmark .npz)")
    a.add_argument("input", help="video file, or a landmarks .npz from 'lunge-screen landmarks'")
    a.add_argument("-o", "--out", required=True, help="output folder (created; files are replaced atomically)")
    a.add_argument("--no-frames", action="store_true", help="skip frames.csv")
    a.add_argument("--json", action="store_true", help="print session.json to stdout instead of the summary table")
    _add_extraction(a)
    _add_analysis(a)
    _add_config(a)
    _add_report(a)


def _add_report_parser(sub) -> None:
    """``report``: rebuild a session's outputs."""
    r = sub.add_parser(
        "report",
        help="rebuild the report, plots, key frames and annotated video from a session.json",
        description="Re-runs the analysis from the landmarks.npz beside SESSION.json with the session's recorded "
        "settings (no pose inference), then writes every output again.",
    )
    r.add_argument("session", metavar="SESSION.json", help="session.json written by 'lunge-screen analyse'")
    r.add_argument("-o", "--out", default=None, help="output folder (default: the session's folder)")
    r.add_argument("--video", default=None, metavar="PATH", help="the analysed video, if it has moved")
    _add_analysis(r, report=True)
    _add_config(r)
    _add_report(r)


def _add_compare_parser(sub) -> None:
    """``compare``: before and after."""
    c = sub.add_parser(
        "compare",
        help="compare one person's sessions (before and after) against the smallest detectable change",
        description="Compare two or more sessions of one person, oldest first: per leg, the change of the median peak "
        "knee-over-foot and of the category counts between consecutive sessions (and first to last), each judged "
        "against the smallest detectable change from the sessions' own rep-to-rep variability and rep counts; the "
        "left-right difference; a warning for every difference of set-up. Writes comparison.json, comparison.png "
        "and comparison.html into --out (see docs/measurement.md#comparing-sessions).",
    )
    c.add_argument(
        "sessions",
        nargs="+",
        metavar="SESSION",
        help="a session.json or an 'analyse' output folder holding one; at least two, oldest first",
    )
    c.add_argument("-o", "--out", required=True, help="output folder (created; files are replaced atomically)")
    c.add_argument(
        "--label",
        action="append",
        default=None,
        metavar="TEXT",
        help="name of a session, once per session in the same order (default: the session date recorded by "
        "'analyse --session-date', else the folder's name)",
    )
    c.add_argument("--no-page", action="store_true", help="write comparison.json only (no plot, no HTML page)")
    c.add_argument("--json", action="store_true", help="print comparison.json to stdout instead of the sentences")
    _add_config(c)


def _add_samples_parser(sub) -> None:
    """``samples``: the sample clips."""
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


def _add_config_parser(sub) -> None:
    """``config``: print the settings as TOML."""
    c = sub.add_parser(
        "config",
        help="print the settings (TOML, every one with its unit, meaning and source)",
        description="Print the settings as a TOML file for --config: every setting at its default (--defaults), "
        "or the effective settings of a config file (--config FILE.toml).",
    )
    c.add_argument("--defaults", action="store_true", help="every setting at its default, commented")
    _add_config(c)


def _add_app_parser(sub) -> None:
    """``app``: the clinic app in the browser."""
    a = sub.add_parser(
        "app",
        help="the clinic app: patients, sessions and reports in a browser page on this computer",
        description="Start the local web app and open it in the default browser: create or pick a patient, drop "
        "videos, follow the analysis, read the report, compare sessions. It listens on 127.0.0.1 only; the address "
        "it prints holds a key that changes at every launch. Security model and data folder: docs/app.md.",
    )
    a.add_argument("--no-browser", action="store_true", help="do not open a browser (open the printed address)")
    a.add_argument("--port", type=int, default=0, help="port on 127.0.0.1 (default 0: any free port)")
    a.add_argument(
        "--data",
        metavar="DIR",
        default=None,
        help="data folder for the index, videos and results (default: the user data folder, see docs/app.md)",
    )
    _add_config(a)


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="lunge-screen",
        description="Screen forward-lunge videos for knee valgus per leg (a screen, not a diagnosis).",
    )
    p.add_argument("--version", action="version", version=f"lunge-screen {__version__}")
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")
    _add_analyse_parser(sub)
    _add_report_parser(sub)
    lm = sub.add_parser("landmarks", help="run the pose model and save the landmark series (.npz)")
    lm.add_argument("video")
    lm.add_argument("-o", "--out", required=True, help="output .npz file")
    _add_extraction(lm)

    _add_compare_parser(sub)
    _add_batch_parser(sub)
    _add_app_parser(sub)
    _add_samples_parser(sub)
    _add_config_parser(sub)
    m = sub.add_parser("models", help="show where models are found, or download one (checksummed)")
    m.add_argument("action", choices=("where", "fetch"))
    m.add_argument("name", nargs="?", default="full", choices=MODEL_NAMES)
    return p


def parse_args(argv=None) -> argparse.Namespace:
    """Parse a command line. ``samples path --fetch NAME`` works too: argparse alone fills an optional
    positional before an option and would reject the NAME after it."""
    parser = build_parser()
    args, extra = parser.parse_known_args(argv)
    if extra and args.command == "samples" and args.name is None and len(extra) == 1 and not extra[0].startswith("-"):
        args.name, extra = extra[0], []
    if extra:
        parser.error(f"unrecognized arguments: {' '.join(extra)}")
    return args
