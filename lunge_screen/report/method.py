"""Fixed text of the report: plain-language explanation, method, limitations and sources.

Wording is that of a screen ("consistent with"), never a diagnosis. Sources are the
ones collected in the project's clinical background notes (../shared/docs/clinical-background.md).
"""

from __future__ import annotations

from ..settings import Thresholds

EXPLANATION = (
    "In a lunge the front knee should stay over the foot, roughly in line with the second toe. "
    "A knee that drifts inward, toward the other leg, is called dynamic knee valgus. It is often "
    "seen when the muscles on the outside of the hip (gluteus medius) do not hold the thigh, but "
    "it can also come from the foot and ankle, from hip or knee stiffness, or simply from how the "
    "movement was done on the day. This screen measures the movement from video; it does not "
    "diagnose its cause."
)

SOURCES = [
    ("Herrington & Munro 2010", "Physical Therapy in Sport: frontal plane projection angle (FPPA) norms "
     "for drop jump (7–13° female, 3–8° male) and step landing; no side-to-side difference in healthy people."),
    ("Herrington 2014", "single-leg squat FPPA: 8.4 ± 5.1° in controls vs 16.8 ± 5.4° with patellofemoral pain."),
    ("Willson & Davis 2008", "JOSPT: FPPA in females with patellofemoral pain relates to hip adduction "
     "(r 0.32–0.38) and knee external rotation (r 0.48–0.55)."),
    ("Munro, Herrington & Carolan 2012", "Journal of Sport Rehabilitation: reliability of 2D FPPA, "
     "between-day ICC 0.72–0.91, SEM 2.7–3.0°, smallest detectable difference 7.5–8.9°."),
    ("Gwynne & Curran 2014", "2D frontal knee measures: ICC 0.86 within and 0.74 between sessions; "
     "r = 0.64–0.78 against 3D motion capture."),
    ("Ceballos-Laita et al. 2023", "computer-vision app for frontal single-leg squat photos: test–retest "
     "ICC 0.86–0.93, minimal detectable change 4.7–9.7°."),
    ("Stickler et al. 2015", "hip-abduction strength is the best single predictor of single-leg-squat FPPA "
     "but explains only about 22 % of it."),
    ("Cichanowski et al. 2007", "in one-sided patellofemoral pain the hip abductors are weaker on the painful side."),
    ("Bishop et al. 2016, 2018", "asymmetry: percentage indices are unstable for small values; report the "
     "absolute left–right difference against the measure's smallest detectable difference."),
    ("Sports2D; Qiu et al.; Ino 2024", "markerless pose estimation for knee alignment: agreement with manual "
     "measurement is good in frontal views; known failures are left/right swaps, camera yaw and occlusion."),
]  # fmt: skip


def method_paragraphs(t: Thresholds, cutoff_hz: float = 6.0) -> list[str]:
    """The method, in the report's words, with the thresholds actually used."""
    return [
        "The pose model (MediaPipe Pose Landmarker) finds hips, knees, ankles and feet in every frame of the "
        "video on this computer. Landmarks are cleaned (outlier rejection, gap filling, a zero-phase "
        f"{cutoff_hz:g} Hz low-pass filter), left/right label swaps are corrected, and each repetition is found "
        "from the lowering of the pelvis, with its lead (front) leg.",
        "Main measure — knee over foot: the knee's sideways distance from the foot's vertical line (ankle to "
        "toe), at the lowest part of each rep while the leg carries the weight, as a fraction of the person's "
        f"standing shank length (positive = inward). Categories: over the foot within ±{t.over_foot_max:.2f}; "
        f"slightly inward above {t.over_foot_max:.2f}; clearly inward from {t.clearly_medial_min:.2f}; outside "
        f"the foot below {t.lateral_max:.2f}. These cut-offs are geometric (about half a foot's width), not "
        "published norms: no published norm exists for knee alignment in the forward lunge.",
        "Secondary measures: knee medial displacement (KMD), the knee's distance from the hip–ankle line as a "
        "fraction of leg length, and its change from standing; the frontal plane projection angle (FPPA), "
        "reported only when the thigh is seen at least "
        f"{t.fppa_min_thigh_ratio:.0%} of its standing length (at the bottom of a front-view lunge the thigh "
        "points at the camera and the angle means nothing).",
        "A value that cannot be a measurement is withheld with its reason: a knee beyond what anatomy allows "
        "(more than half a shank length beside the foot), a shank pointing at the camera, a knee or foot the "
        "model hardly sees, a knee that is nearly straight at the bottom, legs crossing in the picture. Every "
        "measured rep is graded good, fair or poor from this video's own data (landmark visibility and jitter, "
        "the person's size in pixels, foreshortening, camera angle, frame rate); poor reps are shown but not "
        "counted.",
        f"A knee is said to roll inward when at least {t.min_reps_per_leg} reliable reps were measured and more "
        f"than {t.inward_fraction:.0%} of them are slightly or clearly inward; inward on some reps but not most "
        "is reported as inconsistent. Left and right are compared only when both legs have "
        f"{t.min_reps_per_leg} reliable reps: the difference of their medians, with a bootstrap interval over the "
        "reps, must exceed the smallest detectable difference "
        f"({t.sdd_knee_over_foot:.2f} shank lengths for knee over foot, {t.sdd_fppa_deg:g}° for FPPA) and the "
        "interval must exclude no difference before one side is named.",
    ]


LIMITATIONS = [
    "A screen, not a diagnosis: an inward knee is consistent with gluteus medius weakness, but hip strength "
    "explains only about a fifth of frontal-plane knee alignment; confirm with a clinical examination "
    "(e.g. hip-abductor strength testing).",
    "2D video measures a projection: agreement between 2D angles and 3D knee motion is weak to moderate "
    "(R² 0–64 %). Camera height, distance and turning of the body change the numbers.",
    "Frontal-plane measures are withheld when the camera sees the person from the side or at an angle, when "
    "the knee or foot leaves the picture, and when landmarks are missing; such reps are marked in grey.",
    "The pose model can mistake left for right, lose a knee behind the other leg or an object, and is less "
    "accurate at low frame rates, in loose clothing and in poor light. Check the annotated video.",
    "Faces are blurred from the pose model's face points: a face it did not find is not blurred, and by default "
    "it looks for one person only (analyse with --max-people 3 to blur bystanders as well).",
]
