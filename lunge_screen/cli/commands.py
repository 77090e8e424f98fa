"""The ``lunge-screen`` subcommands: arguments -> settings (one helper) -> :mod:`lunge_screen.api` -> output."""

from __future__ import annotations

import dataclasses
import os
import sys
from pathlib import Path

from ..config import read_config, updated
from ..errors import OutputError
from ..settings import Config, ExtractSettings, Thresholds


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
        "video": not (args.no_report or args.no_video),  # the annotated video is part of the report
        "blur_faces": args.blur_faces,
        "patient": {k: v for k, v in patient.items() if v},
    }


def _progress(args):
    if getattr(args, "quiet", False):
        return None, None
    from ..progress import counter, progress_bar

    bar = progress_bar("pose")
    return bar, counter(bar)


def settings_from_args(args, base: Config | None = None) -> Config:
    """The one place a command's arguments become settings: ``base`` < ``--config`` file < flags.

    ``base`` is the defaults, or a session's recorded settings (``report``). Raises
    :class:`ConfigError` (exit code 2) for an unknown setting or threshold name.
    """
    cfg = base or Config()
    if getattr(args, "config", None):
        cfg = updated(cfg, read_config(args.config))
    analysis, extraction = cfg.analysis, cfg.extraction
    thresholds = dict(getattr(args, "threshold", None) or [])
    if thresholds:
        Thresholds.with_overrides(thresholds)  # names checked, with the list of known ones
        analysis = updated(analysis, {"thresholds": thresholds}, where="threshold")
    if getattr(args, "subject", None):
        analysis = dataclasses.replace(analysis, subject=args.subject)
    flags = {k: getattr(args, k, None) for k in ("max_people", "max_fps", "max_side", "start", "end")}
    given = {k: v for k, v in flags.items() if v is not None}
    for k in ("max_fps", "max_side"):  # 0 on the command line means "no cap"
        if given.get(k) == 0:
            given[k] = None
    return Config(analysis=analysis, extraction=dataclasses.replace(extraction, **given), compare=cfg.compare)


def _extract_options(args, extraction: ExtractSettings) -> dict:
    """Keyword arguments of :func:`lunge_screen.api.extract` from the flags and the extraction settings."""
    return {"model": args.model, "download": not args.no_download, "settings": extraction, "workers": args.workers}


def _summary_table(result) -> str:
    lines = [result.finding.summary, ""]
    lines.append(
        f"{'leg':<6} {'reps':>4} {'valid':>5} {'reliable':>8} {'inward':>6} {'KOF peak':>9} {'KMD chg':>8} "
        f"{'FPPA':>6}  reliability"
    )
    for leg in ("left", "right"):
        s = result.legs[leg]

        def f(v, fmt):
            return format(v, fmt) if v is not None else "-"

        lines.append(
            f"{leg:<6} {s.n_reps:>4} {s.n_valid:>5} {s.n_reliable:>8} {s.n_inward:>6} "
            f"{f(s.knee_over_foot_peak_median, '+9.2f'):>9} {f(s.kmd_change_median, '+8.2f'):>8} "
            f"{f(s.fppa_median_deg, '+6.0f'):>6}  {s.reliability or '-'}"
        )
    if result.warnings:
        lines.append("")
        lines.extend(f"warning: {w.message}" for w in result.warnings)
    return "\n".join(lines)


def _prestart(video: str, opts: dict) -> None:
    """Set helper processes to work on the video's later segments while this process loads the analysis code."""
    from ..pose.extract import prestart

    prestart(video, **opts)


def _check_out(out: Path) -> None:
    """Refuse, before any work, an ``--out`` that cannot become a writable folder (exit code 10)."""
    if out.exists() and not out.is_dir():
        raise OutputError(f"{out} exists and is not a folder")
    existing = out if out.exists() else next((p for p in out.absolute().parents if p.exists()), None)
    if existing is not None and not existing.is_dir():
        raise OutputError(f"cannot create the folder {out}: {existing} is a file")
    if existing is not None and not os.access(existing, os.W_OK | os.X_OK):
        raise OutputError(f"cannot write in {existing}: permission denied")


def _print_written(out: Path, written: list[Path], count: bool = False) -> None:
    print(f"\n{len(written)} file(s) written in {out}/" if count else f"\nresults in {out}/")
    if any(p.name == "report.html" for p in written):
        print(f"report: {out / 'report.html'}")


def cmd_analyse(args) -> int:
    from ..io.landmarks import is_landmark_file

    out = Path(args.out)
    _check_out(out)
    cfg = settings_from_args(args)  # bad settings fail here, before any inference
    opts = _extract_options(args, cfg.extraction)
    is_video = not is_landmark_file(args.input)
    if is_video:
        _prestart(args.input, opts)
    from .. import api
    from ..settings import OutputOptions

    bar, progress = _progress(args)
    try:
        series, analysis = api.run(args.input, cfg.analysis, progress=progress, **opts)
    finally:
        if bar is not None:
            bar.close()
    options = OutputOptions(frames_csv=not args.no_frames, landmarks=is_video, **_report_options(args))
    written = api.write(analysis, series, out, video_path=args.input if is_video else None, options=options)
    if args.json:
        print(analysis.result.to_json())
    else:
        print(_summary_table(analysis.result))
        _print_written(out, written)
    return 0


def cmd_report(args) -> int:
    from .. import api
    from ..io.session import read_session_settings
    from ..settings import OutputOptions

    session = Path(args.session)
    out = Path(args.out) if args.out else session.parent
    _check_out(out)
    recorded, _ = read_session_settings(session)
    cfg = settings_from_args(args, Config(analysis=recorded))
    series, analysis, video = api.analyse_session(session, args.video, cfg.analysis)
    same = out.resolve() == session.parent.resolve()
    options = OutputOptions(landmarks=not same, **_report_options(args))
    written = api.write(analysis, series, out, video_path=video, options=options)
    print(analysis.result.finding.summary)
    _print_written(out, written, count=True)
    return 0


def cmd_compare(args) -> int:
    from ..compare import compare, write_comparison

    out = Path(args.out)
    _check_out(out)
    cfg = settings_from_args(args)
    comparison = compare(args.sessions, args.label, cfg.compare)
    written = write_comparison(comparison, out, page=not args.no_page)
    if args.json:
        print(comparison.to_json())
        return 0
    print("\n".join(comparison.summary))
    if comparison.warnings:
        print("")
        print("\n".join(f"warning: {w.message}" for w in comparison.warnings))
    print(f"\n{len(written)} file(s) written in {out}/")
    if any(p.name == "comparison.html" for p in written):
        print(f"comparison: {out / 'comparison.html'}")
    return 0


def cmd_config(args) -> int:
    from ..config import defaults_toml, to_toml

    if args.defaults and not args.config:
        print(defaults_toml(), end="")
        return 0
    print(to_toml(settings_from_args(args)), end="")
    return 0


def cmd_landmarks(args) -> int:
    from ..api import extract

    out = Path(args.out)
    bar, progress = _progress(args)
    try:
        series = extract(args.video, progress=progress, **_extract_options(args, settings_from_args(args).extraction))
    finally:
        if bar is not None:
            bar.close()
    series.save(out)
    print(f"{series.n_frames} frames -> {out}")
    return 0


def cmd_models(args) -> int:
    from ..io.models import ENV_MODEL_DIR, cache_dir, resolve_model

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
    from ..io.samples import locate, manifest, sample_path

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
    from ..batch import VIDEO_EXTENSIONS, run_batch
    from ..errors import BatchFailuresError
    from ..settings import OutputOptions

    if not args.inputs and not args.manifest:
        print("lunge-screen: error: give input folders, patterns or files, or --manifest", file=sys.stderr)
        return 2
    cfg = settings_from_args(args)
    summary = run_batch(
        args.inputs,
        args.out,
        manifest=args.manifest,
        extensions=args.ext.split(",") if args.ext else VIDEO_EXTENSIONS,
        model=args.model,
        download=not args.no_download,
        extract=cfg.extraction,
        analysis=cfg.analysis,
        outputs=OutputOptions(frames_csv=not args.no_frames, report=args.report, video=args.annotated_video),
        compare=cfg.compare,
        workers=args.jobs,
        pose_workers=args.workers,
        scheduler=args.scheduler or ("dask" if args.dask else None),
        force=args.force,
        progress=not args.quiet,
    )
    print(summary.describe())
    if summary.n_failed:
        raise BatchFailuresError(f"{summary.n_failed} of {len(summary.records)} input(s) failed; see failures.csv")
    return 0


def cmd_app(args) -> int:
    from ..app.launch import serve
    from ..config import load_config

    settings = load_config(args.config).app if args.config else Config().app
    return serve(args.data, args.port, not args.no_browser, settings)
