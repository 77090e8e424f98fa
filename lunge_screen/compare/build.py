"""``compare(sessions)``: one person's sessions, per leg, judged against the smallest detectable change.

For each leg and each pair of consecutive sessions (and the first and last, with three or
more) the change of the median peak knee-over-foot of the measured reps, its MDC95 from the
two sessions' own rep-to-rep variability and rep counts (:mod:`lunge_screen.compare.stats`),
a judgement and a sentence; the left-right difference per session and its change; and a
warning for every difference of set-up (:mod:`lunge_screen.compare.setup`).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

from .. import __version__
from ..config import from_dict
from ..errors import LungeScreenError
from ..results import SessionResult
from ..settings import AnalysisSettings, CompareSettings, ConfigError
from ..types import CATEGORIES, LEGS, MEDIAL_CATEGORIES, ChangeSpan, Judgement, Leg
from . import stats
from .model import MEASURE, AsymmetryChange, Comparison, LegChange, LegSession, SessionAsymmetry, SessionInfo
from .sentences import asymmetry_sentence, change_sentence
from .sessions import LoadedSession, SessionLike, load_session, make_labels
from .setup import analysed_fps, setup_warnings

#: An SD needs two values: no change is judged on fewer reliable reps, whatever the settings say.
MIN_REPS_FLOOR = 2


class CompareError(LungeScreenError, ValueError):
    """The comparison cannot be set up: fewer than two sessions, or labels that do not fit (a usage error)."""

    exit_code = 2


def recorded_settings(result: SessionResult) -> AnalysisSettings:
    """The analysis settings a session recorded (defaults for any it lacks)."""
    try:
        return from_dict(AnalysisSettings, result.settings.get("analysis", {}), where="analysis", strict=False)
    except ConfigError:
        return AnalysisSettings()


def leg_session(result: SessionResult, leg: Leg, index: int) -> LegSession:
    """One leg in one session: the peak knee-over-foot of its reliable reps (measured, not graded poor) and summary.

    The reps compared are those the session's own per-leg summary counts (:mod:`lunge_screen.screen.summary`).
    """
    assessed = [(r, m) for r in result.reps for m in r.legs if m.leg == leg]
    measured = [(r, m) for r, m in assessed if m.measured and m.knee_over_foot_peak is not None]
    used = [(r, m) for r, m in measured if m.reliable]
    values = [float(m.knee_over_foot_peak) for _, m in used]
    cats = {c: sum(m.category == c for _, m in used) for c in CATEGORIES}
    st = stats.rep_stats(values)
    summary = result.legs.get(leg)
    return LegSession(
        leg=leg,
        session=index,
        n_assessed=len(assessed),
        n_measured=len(measured),
        n_reliable=len(used),
        rep_indices=[r.index for r, _ in used],
        values=values,
        median=st.median,
        sd=st.sd,
        se=st.se,
        categories=cats,
        n_inward=sum(cats[c] for c in MEDIAL_CATEGORIES),
        rolls_inward=bool(summary.rolls_inward) if summary is not None else False,
    )


def _session_info(s: LoadedSession, label: str) -> SessionInfo:
    r = s.result
    return SessionInfo(
        label=label,
        source=str(s.source) if s.source is not None else "",
        video=r.input.path,
        session_date=r.session_date,
        software_version=r.software_version,
        model=r.model.name,
        model_sha256=r.model.sha256,
        view=r.view,
        fps=analysed_fps(r),
        width=r.input.width,
        height=r.input.height,
        person_height_px=r.person_height_px,
        n_reps=len(r.reps),
        finding=r.finding.summary,
        warnings=[w.code for w in r.warnings],
        keyframes=str(s.keyframes) if s.keyframes is not None else None,
    )


def _too_few(before: LegSession, after: LegSession, labels: list[str], need: int) -> str | None:
    """Why a change cannot be judged, or None."""
    for s in (before, after):
        if s.n_reliable < need:
            label = labels[s.session]
            if s.n_assessed == 0:
                return f"no {s.leg}-leg reps in {label}"
            if s.n_measured == 0:
                return f"none of the {s.n_assessed} {s.leg}-leg reps in {label} could be measured"
            poor = s.n_measured - s.n_reliable
            of = f" ({poor} of the {s.n_measured} measured graded poor)" if poor else ""
            return (
                f"only {s.n_reliable} reliable {s.leg}-leg rep{'s' if s.n_reliable != 1 else ''} in {label}{of}; "
                f"at least {need} are needed in each session"
            )
    return None


def _stats(s: LegSession) -> stats.RepStats:
    return stats.RepStats(s.n_reliable, s.median, s.sd, s.se)


def _judge(change: float, mdc: float) -> Judgement:
    if not stats.detectable(change, mdc):
        return "no detectable change"
    return "more inward" if change > 0 else "less inward"


def leg_change(
    before: LegSession,
    after: LegSession,
    span: ChangeSpan,
    labels: list[str],
    need: int,
    cs: CompareSettings,
    inward_fraction: float,
) -> LegChange:
    """One leg's change from ``before`` to ``after``: judged, or withheld with its reason."""
    reason = _too_few(before, after, labels, need)
    change = mdc = None
    judgement: Judgement = "withheld"
    if reason is None:
        change = after.median - before.median
        mdc = stats.smallest_detectable_change(
            [_stats(before), _stats(after)], cs.confidence, cs.quantile, cs.mdc_floor
        )
        judgement = _judge(change, mdc)
    sentence = change_sentence(before.leg, before, after, judgement, change, mdc, reason, inward_fraction)
    return LegChange(
        leg=before.leg,
        span=span,
        before=before.session,
        after=after.session,
        median_before=before.median,
        median_after=after.median,
        change=change,
        mdc95=mdc,
        judgement=judgement,
        withheld_reason=reason,
        n_before=before.n_reliable,
        n_after=after.n_reliable,
        categories_change={c: after.categories[c] - before.categories[c] for c in CATEGORIES},
        n_inward_before=before.n_inward,
        n_inward_after=after.n_inward,
        sentence=sentence,
    )


def session_asymmetry(result: SessionResult, left: LegSession, right: LegSession, sdd: float) -> SessionAsymmetry:
    """Left minus right median peak knee-over-foot in one session, as the session judged it.

    The session's own record (:mod:`lunge_screen.screen.asymmetry`: ``worse_leg`` only when the
    difference exceeds the SDD and the rep-to-rep scatter); computed from the medians against the
    SDD when the session has no record of it.
    """
    rec = next((a for a in result.asymmetry if a.measure == MEASURE), None)
    k = left.session
    if rec is not None:
        return SessionAsymmetry(k, rec.left, rec.right, rec.difference, rec.sdd, rec.exceeds_sdd, rec.worse_leg,
                                rec.not_judged_reason)  # fmt: skip
    if left.median is None or right.median is None:
        return SessionAsymmetry(k, left.median, right.median, None, sdd, False, None, "a leg has no reliable reps")
    diff = left.median - right.median
    exceeds = abs(diff) > sdd
    worse: Leg | None = ("left" if diff > 0 else "right") if exceeds else None
    return SessionAsymmetry(left.session, left.median, right.median, diff, sdd, exceeds, worse)


def asymmetry_change(
    legs: dict[str, list[LegSession]],
    asym: list[SessionAsymmetry],
    i: int,
    j: int,
    span: ChangeSpan,
    labels: list[str],
    need: int,
    cs: CompareSettings,
) -> AsymmetryChange:
    """How the left-right difference changed from session ``i`` to ``j``; its MDC95 from all four medians' SEs."""
    parts = [legs[leg][k] for leg in LEGS for k in (i, j)]
    reason = next((r for leg in LEGS if (r := _too_few(legs[leg][i], legs[leg][j], labels, need))), None)
    for k in (i, j):
        if reason is None and asym[k].difference is None:
            reason = f"not judged in {labels[k]} ({asym[k].not_judged_reason or 'no difference recorded'})"
    change = mdc = None
    if reason is None:
        change = asym[j].difference - asym[i].difference
        mdc = stats.smallest_detectable_change([_stats(p) for p in parts], cs.confidence, cs.quantile, cs.mdc_floor)
    out = AsymmetryChange(
        span=span,
        before=i,
        after=j,
        difference_before=asym[i].difference,
        difference_after=asym[j].difference,
        change=change,
        mdc95=mdc,
        judgement="withheld" if reason else ("changed" if stats.detectable(change, mdc) else "no detectable change"),
        withheld_reason=reason,
        sentence="",
    )
    out.sentence = asymmetry_sentence(out, asym[j])
    return out


def _pairs(n: int) -> list[tuple[int, int, ChangeSpan]]:
    pairs: list[tuple[int, int, ChangeSpan]] = [(i - 1, i, "consecutive") for i in range(1, n)]
    return pairs + ([(0, n - 1, "first to last")] if n > 2 else [])


def compare(
    sessions: Sequence[SessionLike], labels: Sequence[str] | None = None, settings: CompareSettings | None = None
) -> Comparison:
    """Compare two or more sessions of one person, in time order (see the module docstring).

    Parameters
    ----------
    sessions
        Each a ``session.json`` path, an ``analyse`` output folder, or a :class:`SessionResult`.
    labels
        One name per session (default: the recorded session date, else the folder or file name).
    settings
        :class:`CompareSettings` (default: the defaults).

    Raises
    ------
    CompareError
        Fewer than two sessions, or not one label per session (exit code 2).
    InputNotFoundError, SeriesFileError
        A session path is missing (3) or not a readable session.json (9).
    """
    cs = settings or CompareSettings()
    if len(sessions) < 2:
        raise CompareError(f"give at least two sessions to compare (got {len(sessions)})")
    loaded = [load_session(s) for s in sessions]
    try:
        names = make_labels(loaded, labels)
    except ValueError as exc:
        raise CompareError(str(exc)) from None
    results = [s.result for s in loaded]
    recorded = [recorded_settings(r) for r in results]
    legs = {leg: [leg_session(r, leg, k) for k, r in enumerate(results)] for leg in LEGS}
    changes, asym_changes = [], []
    sdds = [r.thresholds.sdd_knee_over_foot for r in recorded]
    asym = [session_asymmetry(r, legs["left"][k], legs["right"][k], sdds[k]) for k, r in enumerate(results)]
    for i, j, span in _pairs(len(results)):
        need = max(MIN_REPS_FLOOR, recorded[i].thresholds.min_reps_per_leg, recorded[j].thresholds.min_reps_per_leg)
        inward_fraction = recorded[j].thresholds.inward_fraction
        changes += [leg_change(legs[leg][i], legs[leg][j], span, names, need, cs, inward_fraction) for leg in LEGS]
        asym_changes.append(asymmetry_change(legs, asym, i, j, span, names, need, cs))
    comparison = Comparison(
        sessions=[_session_info(s, name) for s, name in zip(loaded, names)],
        legs=legs,
        changes=changes,
        asymmetry=asym,
        asymmetry_changes=asym_changes,
        warnings=setup_warnings(results, names, cs),
        summary=[],
        settings={
            "compare": dataclasses.asdict(cs),
            "thresholds": [dataclasses.asdict(r.thresholds) for r in recorded],
        },
        software_version=__version__,
    )
    comparison.summary = summary(comparison)
    return comparison


def summary(c: Comparison) -> list[str]:
    """The headline: each leg's first-to-last sentence, then the left-right difference's."""
    last = len(c.sessions) - 1
    prefix = f"From {c.sessions[0].label} to {c.sessions[last].label}: " if last > 1 else ""
    lines = [prefix + c.headline(leg).sentence for leg in LEGS]
    asym = next(a for a in c.asymmetry_changes if (a.before, a.after) == (0, last))
    return [*lines, prefix + asym.sentence]
