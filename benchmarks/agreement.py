"""Agreement of lunge-screen with the hand-made references in ../shared/annotations.

One command::

    python benchmarks/agreement.py [--model full] [--shared ../shared]

runs the pose model on every annotated clip (landmarks cached in benchmarks/out/),
analyses them with the default settings and compares, per rep: rep count, bottom
frame, lead leg, clinical category, and -- where the annotator hand-marked the
knee and ankle at the bottom -- the shank tilt and KMD against the values computed
from the hand-marked points. Writes docs/validation.md (tables), docs/figures/agreement.png
and benchmarks/out/agreement_<model>.json. It also lists the finding (pattern and headline) on every
clip of ../shared/videos, with the second-round references of ``more_clips.json``. The block between
``<!-- sensitivity:begin -->`` and ``<!-- sensitivity:end -->`` (written by
``benchmarks/findings_sensitivity.py``) is kept as it is.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.rep_scoring import (  # noqa: E402
    ClipScore,
    agreement_totals,
    load_references,
    model_agreement,
    score_clip,
    totals,
)
from lunge_screen.api import extract  # noqa: E402
from lunge_screen.pipeline import analyse_series  # noqa: E402
from lunge_screen.track.series import LandmarkSeries  # noqa: E402

CLIPS = [
    "curtsy_lunge_front.mp4",
    "lunge_front_lowres_18fps.mp4",
    "lunge_front_portrait.mp4",
    "lunge_front_portrait_rotated_meta.mp4",
    "multi_person_side_vp9.mp4",
    "reverse_lunge_side_view.mp4",
    "squat_front_valgus_then_neutral.mp4",
    "walking_lunge_near_front.mp4",
]
MEDIAL_CATS = ("slightly medial", "clearly medial")


def hand_tilt(m: dict) -> float | None:
    """Shank tilt (deg, medial +) from the hand-marked knee and ankle at the bottom."""
    pts = m.get("points_px") or {}
    knee, ankle = pts.get("knee"), pts.get("ankle")
    direction = m.get("medial_image_direction")
    if not knee or not ankle or direction not in ("+x", "-x"):
        return None
    medial = 1.0 if direction == "+x" else -1.0
    return float(np.degrees(np.arctan2((knee[0] - ankle[0]) * medial, ankle[1] - knee[1])))


def series_for(clip: str, videos: Path, model: str, cache: Path) -> LandmarkSeries:
    path = cache / f"{model}_{clip}.npz"
    if not path.exists():
        tmp = path.with_suffix(".part.npz")
        extract(videos / clip, model=model).save(tmp)
        tmp.replace(path)
    return LandmarkSeries.load(path)


def compare(clip: str, ann: dict, analysis) -> list[dict]:
    """One row per reference rep (and per extra rep we found), per assessed leg."""
    result = analysis.result
    fps = ann["fps"]
    refs = [r for r in ann["reps"] if r.get("bottom_f") is not None]
    ours = list(result.reps)
    rows = []
    used = set()
    for ref in refs:
        match = min(
            (r for r in ours if r.index not in used),
            key=lambda r: abs(r.bottom_frame - ref["bottom_f"]),
            default=None,
        )
        if match is not None and abs(match.bottom_frame - ref["bottom_f"]) / fps > 0.5:
            match = None
        if match is not None:
            used.add(match.index)
        legs = ref.get("assessed_legs") or ([ref["lead"]] if ref.get("lead") else [])
        cat_ref = ref.get("category")
        for leg in legs or [None]:
            m_ours = next((m for m in match.legs if m.leg == leg), None) if match else None
            c_ref = cat_ref.get(leg) if isinstance(cat_ref, dict) else cat_ref
            meas = (ref.get("measurements") or {}).get(leg, {}) if leg else {}
            # the annotator's KMD is in % of standing leg length, ours as a fraction of it
            row = {
                "clip": clip,
                "rep": ref["rep"],
                "leg": leg,
                "ref_bottom": ref["bottom_f"],
                "our_bottom": match.bottom_frame if match else None,
                "ref_lead": ref.get("lead") or "both",
                "our_lead": match.lead if match else None,
                "our_view": match.view if match else None,
                "ref_category": c_ref,
                "our_category": m_ours.category if m_ours else None,
                "withheld": m_ours.withheld_reason if m_ours else None,
                "grade": ref.get("measurement_grade"),
                "ref_tilt": hand_tilt(meas) if meas else None,
                "our_tilt": m_ours.shank_tilt_bottom_deg if m_ours else None,
                "ref_kmd": meas.get("KMD_pct") / 100 if meas.get("KMD_pct") is not None else None,
                "our_kmd": m_ours.kmd_bottom if m_ours else None,
                "our_kof_peak": m_ours.knee_over_foot_peak if m_ours else None,
                "our_reliability": m_ours.reliability if m_ours else None,
            }
            rows.append(row)
    for r in ours:
        if r.index not in used:
            rows.append({"clip": clip, "rep": None, "leg": None, "ref_bottom": None, "our_bottom": r.bottom_frame,
                         "ref_lead": None, "our_lead": r.lead, "our_view": r.view, "ref_category": None,
                         "our_category": None, "withheld": "extra rep (not in the reference)"})  # fmt: skip
    return rows


def fmt(v, spec=""):
    if v is None:
        return "–"
    if isinstance(v, float):
        return format(v, spec or ".2f")
    return str(v)


def _both(row: dict, a: str, b: str) -> bool:
    return row.get(a) is not None and row.get(b) is not None


def summarise(rows: list[dict], per_clip: dict) -> dict:
    reps_ok = sum(1 for c in per_clip.values() if c["ref_reps"] == c["our_reps"])
    matched = [r for r in rows if r["rep"] is not None and r["our_bottom"] is not None]
    bottom_err = [abs(r["our_bottom"] - r["ref_bottom"]) for r in matched]
    leads = [r for r in matched if r["leg"] in (None, r["ref_lead"]) or r["ref_lead"] == "both"]
    lead_ok = sum(1 for r in leads if r["our_lead"] == r["ref_lead"])
    graded = [r for r in matched if r["ref_category"] and r["our_category"]]
    cat_ok = sum(1 for r in graded if r["our_category"] == r["ref_category"])
    side_ok = sum(
        1
        for r in graded
        if (r["our_category"] in MEDIAL_CATS) == (r["ref_category"] in MEDIAL_CATS)
        and (r["our_category"] == "lateral") == (r["ref_category"] == "lateral")
    )
    tilt = [
        (r["ref_tilt"], r["our_tilt"])
        for r in matched
        if r.get("ref_tilt") is not None and r.get("our_tilt") is not None
    ]
    kmd = [
        (r["ref_kmd"], r["our_kmd"]) for r in matched if r.get("ref_kmd") is not None and r.get("our_kmd") is not None
    ]

    def stats(pairs):
        if not pairs:
            return None
        a = np.array(pairs, float)
        d = a[:, 1] - a[:, 0]
        return {
            "n": len(a),
            "bias": float(d.mean()),
            "sd": float(d.std(ddof=1)) if len(a) > 1 else 0.0,
            "mae": float(np.abs(d).mean()),
            "r": float(np.corrcoef(a.T)[0, 1]) if len(a) > 2 else None,
        }

    return {
        "clips_with_right_rep_count": f"{reps_ok}/{len(per_clip)}",
        "bottom_abs_error_frames_median": float(np.median(bottom_err)) if bottom_err else None,
        "bottom_abs_error_frames_max": int(max(bottom_err)) if bottom_err else None,
        "lead_leg_agreement": f"{lead_ok}/{len(leads)}",
        "category_exact": f"{cat_ok}/{len(graded)}",
        "category_direction": f"{side_ok}/{len(graded)}",
        "shank_tilt_vs_hand": stats(tilt),
        "kmd_vs_hand": stats(kmd),
    }


def plot(rows: list[dict], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, 2, figsize=(9, 4))
    for ax, (ref, ours, label, scale) in zip(
        axes,
        [
            ("ref_tilt", "our_tilt", "shank tilt at the bottom (deg, medial +)", 1),
            ("ref_kmd", "our_kmd", "KMD at the bottom (% leg length)", 100),
        ],
    ):
        pts = [
            (r[ref] * scale, r[ours] * scale, r["clip"])
            for r in rows
            if r.get(ref) is not None and r.get(ours) is not None
        ]
        clips = sorted({p[2] for p in pts})
        for c in clips:
            a = np.array([(p[0], p[1]) for p in pts if p[2] == c])
            ax.scatter(a[:, 0], a[:, 1], label=c.replace(".mp4", ""), s=28)
        if pts:
            lo = min(min(p[0], p[1]) for p in pts) - 2
            hi = max(max(p[0], p[1]) for p in pts) + 2
            ax.plot([lo, hi], [lo, hi], "k--", lw=0.8)
        ax.set_xlabel(f"hand-marked {label}")
        ax.set_ylabel(f"lunge-screen {label}")
        ax.grid(alpha=0.3)
    axes[0].legend(fontsize=7)
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=120)


def write_markdown(
    rows, per_clip, summary, model, path: Path, seconds: float, reps_section: list[str], findings: list[dict]
) -> None:
    lines = [
        "# Validation: agreement with hand-made references",
        "",
        f"Generated by `python benchmarks/agreement.py --model {model}` (rep scoring: lite, full, heavy) "
        f"on {time.strftime('%Y-%m-%d')} "
        f"({platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}; {seconds:.0f} s). "
        "Do not edit by hand: rerun the command.",
        "",
        "**References.** `../shared/annotations/` holds hand-made annotations of the test clips: rep timing "
        "from template tracking checked on contact sheets, lead legs checked frame by frame, hip/knee/ankle "
        "centres placed by hand on zoomed, contrast-enhanced crops at each rep's bottom, and a clinician-style "
        "category per rep (over foot / slightly medial / clearly medial / lateral). The annotator graded most "
        "measurements 'low' or 'unreliable' (foreshortened thighs, hips hidden by clothing, black leggings): "
        "they are a reference, not a gold standard.",
        "",
        "## Summary",
        "",
        "| what | agreement |",
        "|---|---|",
        f"| clips with the reference's rep count | {summary['clips_with_right_rep_count']} |",
        "| bottom frame, absolute error (median / max, frames) | "
        f"{fmt(summary['bottom_abs_error_frames_median'], '.1f')} / {fmt(summary['bottom_abs_error_frames_max'])} |",
        f"| lead leg | {summary['lead_leg_agreement']} |",
        f"| clinical category, exact (reps both graded) | {summary['category_exact']} |",
        f"| category direction (medial / not medial / lateral) | {summary['category_direction']} |",
    ]
    measures = (
        ("shank_tilt_vs_hand", "shank tilt at the bottom vs hand-marked", "deg"),
        ("kmd_vs_hand", "KMD at the bottom vs hand-marked", "fraction of leg length"),
    )
    for key, label, unit in measures:
        s = summary[key]
        if s:
            lines.append(
                f"| {label} (n={s['n']}) | bias {s['bias']:+.2f}, SD {s['sd']:.2f}, mean abs {s['mae']:.2f} {unit}"
                + (f", r = {s['r']:.2f}" if s["r"] is not None else "")
                + " |"
            )
    lines += [
        "",
        "![agreement](figures/agreement.png)",
        "",
        *reps_section,
        "",
        "## Per clip (first round: measures against hand-placed points)",
        "",
        "| clip | reps (ref / ours) | view (ours) |",
        "|---|---|---|",
    ]
    for clip, c in per_clip.items():
        lines.append(f"| {clip} | {c['ref_reps']} / {c['our_reps']} | {c['view']} |")
    lines += [
        "",
        "## Per rep",
        "",
        "| clip | rep | leg | bottom ref / ours | lead ref / ours | view | category ref / ours "
        "| tilt ref / ours (deg) | KOF peak | grade ref / ours | note |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        lines.append(
            f"| {r['clip'].replace('.mp4', '')} | {fmt(r['rep'])} | {fmt(r['leg'])} "
            f"| {fmt(r['ref_bottom'])} / {fmt(r['our_bottom'])} "
            f"| {fmt(r['ref_lead'])} / {fmt(r['our_lead'])} | {fmt(r.get('our_view'))} | {fmt(r['ref_category'])} / "
            f"{fmt(r['our_category'])} | {fmt(r.get('ref_tilt'), '+.1f')} / {fmt(r.get('our_tilt'), '+.1f')} | "
            f"{fmt(r.get('our_kof_peak'), '+.2f')} | {fmt(r.get('grade'))} / {fmt(r.get('our_reliability'))} | "
            f"{fmt(r.get('withheld'))} |"
        )
    differ = [
        r for r in rows if r.get("ref_category") and r.get("our_category") and r["ref_category"] != r["our_category"]
    ]
    lines += ["", "## Where we disagree with the references", ""]
    for r in differ:
        lines.append(
            f"* {r['clip']} rep {r['rep']} ({r['leg']}): reference '{r['ref_category']}', ours '{r['our_category']}' "
            f"(hand-marked shank tilt {fmt(r.get('ref_tilt'), '+.1f')} deg, ours {fmt(r.get('our_tilt'), '+.1f')} deg; "
            f"annotator's grade: {fmt(r.get('grade'))})."
        )
    lines += [
        "",
        "Most disagreements are on `lunge_front_lowres_18fps.mp4` (480x854, heavy compression, black leggings; "
        "graded 'unreliable' by the annotator): the pose model places the front knee 15-20 px medial of where "
        "the annotator put it, so knee-over-foot reads medial where the knee is over the ankle. The rest are "
        "borderline knees in the squat clip's 'knees moving in' part, where the annotator's 'slightly medial' "
        "and ours differ by one category. The `grade` column puts the annotator's grade beside ours: the "
        "tool grades the low-resolution clip's measured reps poor from its own data (frame rate, camera yaw, "
        "landmark jitter) and withholds the reps whose knee lies past the other foot, so none of them counts "
        "toward the finding.",
    ]
    lines += findings_table(findings)
    block = kept_block(path)
    path.write_text("\n".join(lines) + "\n" + (f"\n{block}\n" if block else ""), encoding="utf-8")


BEGIN, END = "<!-- sensitivity:begin -->", "<!-- sensitivity:end -->"


def kept_block(path: Path) -> str:
    """The sensitivity block of the current file (written by findings_sensitivity.py), or ''."""
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    if BEGIN not in text or END not in text:
        return ""
    return text[text.index(BEGIN) : text.index(END) + len(END)]


def findings_table(findings: list[dict]) -> list[str]:
    """The finding on every clip: what the references say and what the tool concludes."""
    lines = [
        "",
        "## The finding on every clip",
        "",
        "None of the clips in `../shared/videos` shows a real left/right asymmetry, so none should get a "
        "one-sided pattern (`left` / `right`). References: `annotations.json` (first eight clips) and "
        "`more_clips.json` (second round: categories by eye).",
        "",
        "| clip | reps ref / ours | categories by eye | pattern | headline |",
        "|---|---|---|---|---|",
    ]
    for f in findings:
        lines.append(
            f"| {f['clip'].replace('.mp4', '')} | {f['ref_reps']} / {f['our_reps']} | {f['ref_categories']} "
            f"| {f['pattern']} | {f['summary'].replace('|', '/')} |"
        )
    return lines


def clip_finding(clip: str, analysis, ref_reps: str, ref_categories: str) -> dict:
    r = analysis.result
    return {"clip": clip, "ref_reps": ref_reps, "our_reps": len(r.reps), "ref_categories": ref_categories,
            "pattern": r.finding.pattern, "flag": r.finding.flag, "summary": r.finding.summary}  # fmt: skip


def _categories(reps: list[dict]) -> str:
    cats = [c for r in reps for c in ((r.get("category") or {}).values() if isinstance(r.get("category"), dict)
            else [r.get("category")]) if c]  # fmt: skip
    return ", ".join(f"{cats.count(c)} {c}" for c in sorted(set(cats))) or "–"


def score_reps(shared: Path, models: list[str], cache: Path) -> dict[str, list[ClipScore]]:
    """Every referenced clip in ../shared/videos scored for reps, leads, kinds and views, per model."""
    refs = load_references(shared / "annotations")
    out: dict[str, list[ClipScore]] = {}
    for model in models:
        out[model] = []
        for clip, ref in sorted(refs.items()):
            if not (shared / "videos" / clip).exists():
                continue
            result = analyse_series(series_for(clip, shared / "videos", model, cache)).result
            out[model].append(score_clip(ref, result.reps, result.view))
    return out


def rep_lines(scores: dict[str, list[ClipScore]]) -> list[str]:
    """Markdown: per-model totals and a per-clip table of rep events, leads, kinds and views."""
    lines = [
        "## Reps, lead legs, movement kinds and views on every referenced clip",
        "",
        "Scored by `benchmarks/rep_scoring.py` (its docstring defines every column): a detected bottom "
        "matches a reference bottom within 0.5 s; lead = the person's working leg (front leg of a lunge, "
        "standing leg of a single-leg squat, bending leg of a lateral lunge, `both` for squats); phantom = "
        "a `both` or unmatched rep in a clip of one-leg movements; kind scored on frontal clips.",
        "",
        "| model | rep count in range | bottoms: precision / recall | bottom error median (s) | lead leg "
        "| phantom reps | kind (frontal) | view |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for model, sc in scores.items():
        t = totals(sc)
        lines.append(
            f"| {model} | {t['count_ok']}/{t['clips']} | {t['precision']:.2f} / {t['recall']:.2f} "
            f"({t['matched']} of {t['detected']} detected, {t['ref_bottoms']} referenced) "
            f"| {fmt(t['bottom_error_median_s'])} | {t['leads_right']}/{t['leads_scored']} | {t['phantom']} "
            f"| {t['kinds_right']}/{t['kinds_scored']} | {t['views_right']}/{t['views_scored']} |"
        )
    lines += agreement_lines(scores)
    lines += ["", "| clip | model | reps ref / ours | matched | lead | phantom | kind | view ref / ours |"]
    lines.append("|---|---|---|---|---|---|---|---|")
    for model, sc in scores.items():
        for s in sc:
            lo, hi = s.count_range
            rng = f"{lo}" if lo == hi else f"{lo}-{hi}"
            ok = "" if s.count_ok else " ✗"
            lines.append(
                f"| {s.clip.replace('.mp4', '')} | {model} | {rng} / {s.n_detected}{ok} "
                f"| {s.matched}/{s.n_ref_bottoms} "
                f"| {s.leads_right}/{s.leads_scored} | {s.phantom} | {s.kinds_right}/{s.kinds_scored} "
                f"| {fmt(s.view_ref)} / {fmt(s.view_ours)} |"
            )
    return lines


def agreement_lines(scores: dict[str, list[ClipScore]]) -> list[str]:
    """Markdown: do the pose models give the same reps, leads and kinds on the same clip (no reference needed)?"""
    if not {"lite", "full", "heavy"} <= set(scores):
        return []
    by_clip = {m: {s.clip: s.detected for s in sc} for m, sc in scores.items()}
    per_clip = {c: {m: by_clip[m][c] for m in ("lite", "full", "heavy")} for c in by_clip["full"]}
    rows = {c: model_agreement(d) for c, d in per_clip.items()}
    tot = agreement_totals(per_clip)
    lines = [
        "",
        "**Same clip, three models** (`rep_scoring.model_agreement`: a rep is shared when lite, full and heavy "
        "each put a bottom within 0.5 s of it): "
        f"same rep count on {tot['same_count']}/{tot['clips']} clips; {tot['shared']} of {tot['distinct']} distinct "
        f"reps found by all three; of those, the same working leg from all three on {tot['same_lead']} and the "
        f"same movement kind on {tot['same_kind']}. Clips where they differ:",
        "",
        "| clip | shared / distinct reps | same leg | same kind |",
        "|---|---|---|---|",
    ]
    for clip, r in rows.items():
        if r["shared"] < r["distinct"] or r["same_lead"] < r["shared"] or r["same_kind"] < r["shared"]:
            lines.append(
                f"| {clip.replace('.mp4', '')} | {r['shared']}/{r['distinct']} | {r['same_lead']}/{r['shared']} "
                f"| {r['same_kind']}/{r['shared']} |"
            )
    return lines


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--model", default="full", help="model of the per-rep measure comparison")
    p.add_argument("--models", nargs="+", default=["lite", "full", "heavy"], help="models of the rep scoring")
    p.add_argument("--cache", default=str(ROOT / "benchmarks" / "out" / "landmarks"), help="landmark cache")
    p.add_argument("--reps-only", action="store_true", help="print the rep scoring only (no files written)")
    p.add_argument("--shared", default=str(ROOT.parent / "shared"))
    p.add_argument("--out-md", default=str(ROOT / "docs" / "validation.md"))
    args = p.parse_args(argv)
    shared = Path(args.shared)
    os.environ.setdefault("LUNGE_SCREEN_MODEL_DIR", str(shared / "models"))
    annotations = json.loads((shared / "annotations" / "annotations.json").read_text(encoding="utf-8"))
    cache = Path(args.cache)
    cache.mkdir(parents=True, exist_ok=True)
    t0 = time.time()
    rep_scores = score_reps(shared, args.models, cache)
    if args.reps_only:
        print("\n".join(rep_lines(rep_scores)))
        for model, sc in rep_scores.items():
            for c in sc:
                print(model, c.clip, c.count_range, c.detected)
        return 0
    rows, per_clip, findings = [], {}, []
    for clip in CLIPS:
        ann = annotations[clip.replace("_rotated_meta", "")]
        a = analyse_series(series_for(clip, shared / "videos", args.model, cache))
        per_clip[clip] = {
            "ref_reps": len([r for r in ann["reps"] if r.get("bottom_f") is not None]),
            "our_reps": len(a.result.reps),
            "view": a.result.view,
        }
        rows += compare(clip, ann, a)
        findings.append(clip_finding(clip, a, str(per_clip[clip]["ref_reps"]), _categories(ann["reps"])))
    more = json.loads((shared / "annotations" / "more_clips.json").read_text(encoding="utf-8"))["clips"]
    for clip, ann in sorted(more.items()):
        a = analyse_series(series_for(clip, shared / "videos", args.model, cache))
        lo, hi = ann["reps_range"]
        findings.append(clip_finding(clip, a, f"{lo}" if lo == hi else f"{lo}-{hi}", _categories(ann["reps"])))
    summary = summarise(rows, per_clip)
    seconds = time.time() - t0
    out = ROOT / "benchmarks" / "out" / f"agreement_{args.model}.json"
    out.write_text(json.dumps({"summary": summary, "per_clip": per_clip, "rows": rows}, indent=2), encoding="utf-8")
    plot(rows, ROOT / "docs" / "figures" / "agreement.png")
    write_markdown(rows, per_clip, summary, args.model, Path(args.out_md), seconds, rep_lines(rep_scores), findings)
    out.write_text(
        json.dumps(
            {"summary": summary, "per_clip": per_clip, "rows": rows,
             "reps": {m: [c.to_dict() for c in sc] for m, sc in rep_scores.items()}},
            indent=2,
        ),
        encoding="utf-8",
    )  # fmt: skip
    print(json.dumps(summary, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
