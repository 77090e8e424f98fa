"""Reps, lead legs, movement kinds and views scored against the hand-made references (pure; no video).

References: ``../shared/annotations/annotations.json`` (the first clips, rep bottoms as frames and
times) and ``more_clips.json`` (the second round: bottoms in seconds from the first decoded
frame, the acceptable rep-count range, the person's working leg). Scoring, per clip:

* **events**: a detected bottom matches a reference bottom within ``TOLERANCE_S`` (greedy,
  closest pairs first, each used once): precision = matched / detected, recall = matched /
  reference bottoms. References without a bottom time (a partial rep at the clip's edge) count
  toward the acceptable rep count only.
* **count**: the number of detected reps lies in the reference's range.
* **lead**: on matched reps whose reference names the working leg (``left``/``right``/``both``),
  ours equals it. ``unknown`` references (side views with look-alike legs) are not scored.
* **phantom**: in a clip of one-leg movements (lunges, single-leg squats) every detected rep that
  is ``both`` or matches no reference.
* **kind**: on matched reps of frontal clips, the movement kind equals the clip's.
* **view**: the clip's view class equals the reference's (clips of one view only).

The expected movement kind per clip is the benchmark's knowledge (from each clip's exercise
description in the references), never the package's: package code does not know clip names.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path

TOLERANCE_S = 0.5

#: The movement in each referenced clip (from the references' exercise descriptions).
KINDS = {
    "curtsy_lunge_front.mp4": "lunge",
    "lunge_front_lowres_18fps.mp4": "lunge",
    "lunge_front_portrait.mp4": "lunge",
    "lunge_front_portrait_rotated_meta.mp4": "lunge",
    "multi_person_side_vp9.mp4": None,
    "reverse_lunge_side_view.mp4": "lunge",
    "squat_front_valgus_then_neutral.mp4": "squat",
    "walking_lunge_near_front.mp4": "lunge",
    "single_leg_squat_front_gym_good_bad.mp4": "single-leg squat",
    "single_leg_squat_front_blue_jacket.mp4": "single-leg squat",
    "lateral_reach_single_leg_squat_front.mp4": "single-leg squat",
    "lateral_lunge_kb_front_countdown.mp4": "lateral lunge",
    "split_squat_valgus_demo_splitscreen_portrait.mp4": "lunge",
    "jumping_lunge_oblique_gym.mp4": "lunge",
    "bulgarian_split_squat_side_cuts.mp4": "lunge",
    "reverse_lunge_side_istock.mp4": "lunge",
    "lunge_side_cut_closeup.mp4": "lunge",
    "shrimp_squat_side.mp4": "single-leg squat",
}
_VIEW_NAMES = {"front": "frontal", "frontal": "frontal", "near-front": "oblique", "side": "side", "rear": "rear"}


@dataclass
class RefRep:
    bottom_s: float | None
    lead: str | None  # left / right / both / unknown / None (not stated)


@dataclass
class ClipRef:
    clip: str
    view: str | None  # our view class, None for mixed-view clips
    count_range: tuple[int, int]
    reps: list[RefRep]
    kind: str | None


@dataclass
class ClipScore:
    clip: str
    n_detected: int
    count_range: tuple[int, int]
    matched: int
    n_ref_bottoms: int
    bottom_errors_s: list[float] = field(default_factory=list)
    leads_right: int = 0
    leads_scored: int = 0
    phantom: int = 0
    kinds_right: int = 0
    kinds_scored: int = 0
    view_ref: str | None = None
    view_ours: str | None = None
    detected: list[tuple[float, str, str]] = field(default_factory=list)  # (bottom s, lead, kind)

    @property
    def count_ok(self) -> bool:
        return self.count_range[0] <= self.n_detected <= self.count_range[1]

    @property
    def precision(self) -> float:
        return self.matched / self.n_detected if self.n_detected else 1.0

    @property
    def recall(self) -> float:
        return self.matched / self.n_ref_bottoms if self.n_ref_bottoms else 1.0

    def to_dict(self) -> dict:
        d = asdict(self)
        d.update(count_ok=self.count_ok, precision=self.precision, recall=self.recall)
        return d


def load_references(annotations_dir: Path) -> dict[str, ClipRef]:
    """Every clip with references, keyed by file name (the rotated copy shares its original's)."""
    first = json.loads((annotations_dir / "annotations.json").read_text(encoding="utf-8"))
    more = json.loads((annotations_dir / "more_clips.json").read_text(encoding="utf-8"))["clips"]
    refs: dict[str, ClipRef] = {}
    for clip, a in first.items():
        reps = [RefRep(r.get("bottom_t"), r.get("lead") or "both") for r in a["reps"]]
        n_bottoms = sum(r.bottom_s is not None for r in reps)
        refs[clip] = ClipRef(clip, _VIEW_NAMES.get(a["view"]["type"]), (n_bottoms, len(reps)), reps, KINDS.get(clip))
    rotated = "lunge_front_portrait_rotated_meta.mp4"
    if "lunge_front_portrait.mp4" in refs:
        base = refs["lunge_front_portrait.mp4"]
        refs[rotated] = ClipRef(rotated, base.view, base.count_range, base.reps, KINDS[rotated])
    for clip, m in more.items():
        reps = [RefRep(r.get("bottom_t"), r.get("lead")) for r in m["reps"]]
        lo, hi = m["reps_range"]
        refs[clip] = ClipRef(clip, _VIEW_NAMES.get(m["view"]), (lo, hi), reps, KINDS.get(clip))
    return refs


def match_events(ref_s: list[float], ours_s: list[float], tol: float = TOLERANCE_S) -> dict[int, int]:
    """Greedy one-to-one matching of detected to reference times within ``tol`` s: ``{our index: ref index}``."""
    pairs = sorted((abs(o - r), i, j) for i, o in enumerate(ours_s) for j, r in enumerate(ref_s) if abs(o - r) <= tol)
    used_o: set[int] = set()
    used_r: set[int] = set()
    out: dict[int, int] = {}
    for _, i, j in pairs:
        if i not in used_o and j not in used_r:
            out[i] = j
            used_o.add(i)
            used_r.add(j)
    return out


def score_clip(ref: ClipRef, reps: list, view: str | None) -> ClipScore:
    """Score one clip's detected reps (objects with ``bottom_s``, ``lead``, ``kind``) against its reference."""
    with_bottom = [r for r in ref.reps if r.bottom_s is not None]
    ours_s = [float(r.bottom_s) for r in reps]
    m = match_events([r.bottom_s for r in with_bottom], ours_s)
    s = ClipScore(ref.clip, len(reps), ref.count_range, len(m), len(with_bottom), view_ref=ref.view, view_ours=view)
    s.detected = [(round(float(r.bottom_s), 2), r.lead, getattr(r, "kind", "?")) for r in reps]
    one_leg = ref.kind in ("lunge", "single-leg squat")
    for i, rep in enumerate(reps):
        j = m.get(i)
        if one_leg and (j is None or rep.lead == "both"):
            s.phantom += 1
        if j is None:
            continue
        r = with_bottom[j]
        s.bottom_errors_s.append(round(abs(rep.bottom_s - r.bottom_s), 3))
        if r.lead in ("left", "right", "both"):
            s.leads_scored += 1
            s.leads_right += rep.lead == r.lead
        if ref.view == "frontal" and ref.kind:
            s.kinds_scored += 1
            s.kinds_right += getattr(rep, "kind", None) == ref.kind
    return s


def totals(scores: list[ClipScore]) -> dict:
    """Summary over clips: counts right, event precision/recall, leads, phantoms, kinds, views."""
    det = sum(s.n_detected for s in scores)
    refb = sum(s.n_ref_bottoms for s in scores)
    match = sum(s.matched for s in scores)
    views = [s for s in scores if s.view_ref]
    errs = sorted(e for s in scores for e in s.bottom_errors_s)
    return {
        "clips": len(scores),
        "count_ok": sum(s.count_ok for s in scores),
        "precision": match / det if det else 1.0,
        "recall": match / refb if refb else 1.0,
        "matched": match,
        "detected": det,
        "ref_bottoms": refb,
        "bottom_error_median_s": errs[len(errs) // 2] if errs else None,
        "leads_right": sum(s.leads_right for s in scores),
        "leads_scored": sum(s.leads_scored for s in scores),
        "phantom": sum(s.phantom for s in scores),
        "kinds_right": sum(s.kinds_right for s in scores),
        "kinds_scored": sum(s.kinds_scored for s in scores),
        "views_right": sum(s.view_ours == s.view_ref for s in views),
        "views_scored": len(views),
    }


def model_agreement(detected: dict[str, list[tuple[float, str, str]]], anchor: str = "full") -> dict:
    """How far the models agree on one clip: ``detected`` maps a model to its ``(bottom s, lead, kind)`` reps.

    A rep of the ``anchor`` model is *shared* when every other model has a rep within ``TOLERANCE_S``
    of it (one-to-one, :func:`match_events`); ``distinct`` counts the anchor's reps plus every other
    model's unmatched ones. Returns the counts of shared reps, distinct reps, shared reps with the
    same lead and the same kind from every model, and whether every model found the same number of reps.
    """
    base = detected[anchor]
    others = [m for m in detected if m != anchor]
    matches = {m: match_events([r[0] for r in detected[m]], [r[0] for r in base]) for m in others}
    shared = [i for i in range(len(base)) if all(i in matches[m] for m in others)]
    distinct = len(base) + sum(len(detected[m]) - len(matches[m]) for m in others)
    same_lead = sum(all(detected[m][matches[m][i]][1] == base[i][1] for m in others) for i in shared)
    same_kind = sum(all(detected[m][matches[m][i]][2] == base[i][2] for m in others) for i in shared)
    same_count = len({len(v) for v in detected.values()}) == 1
    return {"shared": len(shared), "distinct": distinct, "same_lead": same_lead, "same_kind": same_kind,
            "same_count": same_count}  # fmt: skip


def agreement_totals(detected_by_clip: dict[str, dict[str, list]]) -> dict:
    """:func:`model_agreement` of lite, full and heavy summed over clips (``{clip: {model: reps}}``),
    with ``clips`` the number of clips."""
    rows = [model_agreement({m: d[m] for m in ("lite", "full", "heavy")}) for d in detected_by_clip.values()]
    keys = ("shared", "distinct", "same_lead", "same_kind", "same_count")
    return {"clips": len(rows), **{k: sum(r[k] for r in rows) for k in keys}}
