"""The clinician's HTML report: one self-contained file (images inlined, no scripts, no requests).

A Content-Security-Policy forbids every fetch except inline ``data:`` images and the
inline stylesheet, so the page works offline and cannot leak anything even if opened
in a browser with network access. Every piece of text from outside (patient fields,
file names, messages) is HTML-escaped.
"""

from __future__ import annotations

import base64
import dataclasses
from dataclasses import dataclass
from html import escape
from importlib import resources
from pathlib import PurePath

from ..results import Asymmetry, LegMeasures, LegSummary, Rep, SessionResult
from ..settings import FilterSettings, Thresholds
from .method import EXPLANATION, LIMITATIONS, SOURCES, method_paragraphs

CSP = "default-src 'none'; img-src data:; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'"
PATIENT_FIELDS = {
    "name": "Patient",
    "id": "Patient ID",
    "session_date": "Session date",
    "clinician": "Clinician",
    "note": "Note",
}


@dataclass(frozen=True)
class InlineImage:
    """An image to inline: encoded bytes, MIME type, alt text and caption."""

    data: bytes
    mime: str
    alt: str
    caption: str

    def tag(self) -> str:
        src = f"data:{self.mime};base64,{base64.b64encode(self.data).decode('ascii')}"
        return (
            f'<figure><img src="{src}" alt="{escape(self.alt)}">'
            f"<figcaption>{escape(self.caption)}</figcaption></figure>"
        )


def css() -> str:
    """The report's stylesheet (``report.css`` beside this module)."""
    return resources.files(__package__).joinpath("report.css").read_text(encoding="utf-8")


def _num(v: float | None, spec: str, unit: str = "") -> str:
    if v is None:
        return "–"
    text = f"{v:{spec}}"
    if text.lstrip("+-").strip("0.") == "":  # no "-0.00"
        text = f"{0.0:{spec}}"
    return text + unit


def _cat(category: str | None) -> str:
    name = category or "withheld"
    return f'<span class="cat cat-{name.replace(" ", "-")}">{escape(name)}</span>'


def _leg(leg: str) -> str:
    return f'<span class="leg-{escape(leg)}">{escape(leg.capitalize())}</span>' if leg in ("left", "right") else "–"


def _finding_class(result: SessionResult) -> str:
    """``flag`` (a knee rolls inward), ``mixed`` (inward on some reps, or unreliable), ``clear``, ``na``."""
    if result.finding.pattern == "not measurable":
        return "na"
    if result.finding.flag:
        return "flag"
    return "mixed" if result.finding.pattern in ("inconsistent", "unreliable") else "clear"


def leg_table(result: SessionResult) -> str:
    """Measures down, legs across (three columns: fits a phone)."""
    legs: dict[str, LegSummary] = result.legs
    kof = next((a for a in result.asymmetry if a.measure == "knee_over_foot_peak"), None)

    def cats(s: LegSummary) -> str:
        parts = [f"{n} {escape(c)}" for c, n in s.categories.items() if n]
        return ", ".join(parts) or "–"

    def iqr(s: LegSummary) -> str:
        base = _num(s.knee_over_foot_peak_median, "+.2f")
        return base + (f" (IQR {s.knee_over_foot_peak_iqr:.2f})" if s.knee_over_foot_peak_iqr is not None else "")

    def fppa(s: LegSummary) -> str:
        return _num(s.fppa_median_deg, "+.0f", "°") + f" (n={s.n_fppa_valid})"

    def obliquity(s: LegSummary) -> str:
        return _num(s.pelvic_obliquity_median_deg, "+.1f", "°")

    def grade(s: LegSummary) -> str:
        why = f" ({escape('; '.join(s.reliability_reasons))})" if s.reliability_reasons else ""
        return f"{escape(s.reliability)}{why}" if s.reliability else "–"

    rows = [
        ("Reps with this leg assessed", lambda s: str(s.n_reps)),
        ("Reps measured (not withheld)", lambda s: str(s.n_valid)),
        ("Reliable reps (counted)", lambda s: str(s.n_reliable)),
        ("Reliability", grade),
        ("Knee inward (slightly or clearly), reliable reps", lambda s: f"{s.n_inward} of {s.n_reliable}"),
        ("Categories (reliable reps)", cats),
        ("What the reps show", lambda s: escape(s.judgement or "–")),
        ("Median peak knee over foot (shank lengths, inward +)", iqr),
        ("Median KMD change at the bottom (leg lengths)", lambda s: _num(s.kmd_change_median, "+.2f")),
        ("Median FPPA at the bottom (valid reps)", fppa),
        ("Median knee flexion at the bottom", lambda s: _num(s.knee_flexion_median_deg, ".0f", "°")),
        ("Median pelvic obliquity (lunges; + = opposite hip lower)", obliquity),
    ]  # fmt: skip
    head = '<tr><th scope="col">Measure</th><th scope="col" class="num">' + _leg("left")
    head += '</th><th scope="col" class="num">' + _leg("right") + "</th></tr>"
    body = "".join(
        f'<tr><th scope="row">{label}</th><td class="num">{f(legs["left"])}</td>'
        f'<td class="num">{f(legs["right"])}</td></tr>'
        for label, f in rows
    )
    out = f'<div class="scroll"><table class="legs"><thead>{head}</thead><tbody>{body}</tbody></table></div>'
    if kof is not None:
        out += f'<p class="note">{escape(asymmetry_note(kof))}</p>'
    return out


def asymmetry_note(kof: Asymmetry) -> str:
    """The left-right comparison in words: the difference, its interval, and what it is judged against."""
    if not kof.judged or kof.difference is None:
        return f"Left and right not compared: {kof.not_judged_reason}."
    level = f"{kof.interval_level:.0%}"
    base = (
        f"Left minus right median peak knee over foot: {kof.difference:+.2f} ({level} bootstrap interval over "
        f"reps {kof.interval_low:+.2f} to {kof.interval_high:+.2f}; smallest detectable difference {kof.sdd:.2f}). "
    )
    if kof.detected:
        return base + (
            f"Beyond both the detectable difference and this clip's noise: the {kof.worse_leg} knee goes further "
            "inward."
        )
    if kof.exceeds_sdd:
        return base + "Larger than the detectable difference, but within this clip's rep-to-rep noise: no clear side."
    return base + "Within the detectable difference: no clear side-to-side difference."


def _why(m: LegMeasures | None, rep: Rep) -> str:
    if m is None:
        return "; ".join(rep.warnings) or "no knee assessed"
    if not m.measured:
        return m.withheld_reason or "withheld"
    notes = []
    if m.reliability and m.reliability != "good":
        counted = "not counted" if m.reliability == "poor" else "counted"
        notes.append(f"reliability {m.reliability} ({counted}): {'; '.join(m.reliability_reasons)}")
    if m.fppa_invalid_reason:
        notes.append(f"FPPA not valid: {m.fppa_invalid_reason}")
    if m.hip_and_foot_disagree:
        notes.append("hip-based and foot-based measures disagree")
    return "; ".join(notes)


NUMERIC = (1, 7, 8, 9, 10, 11)


REP_COLUMNS = (
    "Rep",
    "Bottom (s)",
    "Kind",
    "Knee",
    "View",
    "Result",
    "Reliability",
    "Peak knee over foot",
    "At bottom",
    "KMD change",
    "FPPA",
    "Knee flexion",
    "Notes",
)


def rep_table(reps: list[Rep]) -> str:
    """One row per assessed knee per rep; withheld rows hatched grey with the reason, poor ones greyed.

    On a narrow screen each row becomes a card of "label: value" lines (``data-label``).
    """
    head = "<tr>" + "".join(
        f"<th class='num'>{c}</th>" if i in NUMERIC else f"<th>{c}</th>" for i, c in enumerate(REP_COLUMNS)
    )
    head += "</tr>"
    rows = []
    for r in reps:
        for m in r.legs or [None]:
            withheld = m is None or not m.measured
            cells = [
                str(r.index),
                _num(r.bottom_s, ".1f"),
                escape(r.kind),
                _leg(m.leg) if m else "–",
                escape(r.view),
                _cat(m.category if m else None),
                escape(m.reliability) if m and m.reliability else "–",
                _num(m.knee_over_foot_peak if m else None, "+.2f"),
                _num(m.knee_over_foot_bottom if m else None, "+.2f"),
                _num(m.kmd_change_bottom if m else None, "+.2f"),
                _num(m.fppa_bottom_deg if m else None, "+.0f", "°"),
                _num(m.knee_flexion_bottom_deg if m else None, ".0f", "°"),
            ]
            cells.append(escape(_why(m, r)) or "–")
            tds = "".join(
                f"<td class='{'num' if i in NUMERIC else 'why' if i == len(cells) - 1 else 'txt'}' "
                f"data-label='{REP_COLUMNS[i]}'>{c}</td>"
                for i, c in enumerate(cells)
            )
            poor = m is not None and m.reliability == "poor"
            cls = ' class="withheld"' if withheld else ' class="poor"' if poor else ""
            rows.append(f"<tr{cls}>{tds}</tr>")
    if not rows:
        return "<p>No repetitions were found.</p>"
    return f'<div class="scroll"><table class="reps"><thead>{head}</thead><tbody>{"".join(rows)}</tbody></table></div>'


def _fields(result: SessionResult, patient: dict[str, str], generated: str, blur_faces: bool) -> str:
    items = [(PATIENT_FIELDS[k], patient[k]) for k in PATIENT_FIELDS if patient.get(k)]
    items += [
        ("Video", PurePath(result.input.path).name or "–"),
        ("Length", f"{result.input.duration_s:.1f} s, {result.input.fps:.0f} fps, {len(result.reps)} rep(s) found"),
        ("Camera view", f"{result.view}" + (f" (yaw {result.yaw_deg:.0f}°)" if result.yaw_deg is not None else "")),
        ("Faces", "blurred in all pictures" if blur_faces else "not blurred"),
        ("Report generated", generated),
    ]
    return '<dl class="fields">' + "".join(f"<dt>{escape(k)}</dt><dd>{escape(str(v))}</dd>" for k, v in items) + "</dl>"


def render_html(
    result: SessionResult,
    *,
    thresholds: Thresholds,
    cutoff_hz: float = FilterSettings.cutoff_hz,
    keyframes: InlineImage | None,
    plots: list[InlineImage],
    patient: dict[str, str] | None = None,
    video_file: str | None = None,
    blur_faces: bool = True,
    versions: dict[str, str] | None = None,
    generated: str = "",
) -> str:
    """The whole report page as a string (see the module docstring)."""
    patient = patient or {}
    f = result.finding
    title = "Lunge screen: knee alignment" + (f" — {patient['name']}" if patient.get("name") else "")
    details = "".join(f"<li>{escape(d)}</li>" for d in f.details)
    quality = "".join(f"<li>{escape(w.message)}</li>" for w in result.warnings)
    parts = [
        "<!doctype html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">',
        '<meta name="referrer" content="no-referrer"><link rel="icon" href="data:,">',
        f"<title>{escape(title)}</title><style>{css()}</style></head><body><main>",
        f"<header><h1>{escape(title)}</h1>",
        '<p class="subtitle">Movement screen from video — a screening result, not a diagnosis.</p>',
        _fields(result, patient, generated, blur_faces),
        "</header>",
        f'<section class="finding {_finding_class(result)}" id="finding"><h2>Finding</h2>',
        f'<p class="summary">{escape(f.summary)}</p>',
        f"<ul>{details}</ul>" if details else "",
        "</section>",
        f'<p class="note">{escape(EXPLANATION)}</p>',
        '<section id="legs"><h2>Per leg</h2>',
        leg_table(result),
        "</section>",
        '<section id="keyframes"><h2>Key frames</h2>',
        keyframes.tag() if keyframes else '<p class="note">No key frames: the video was not available.</p>',
        "</section>",
        '<section id="plots"><h2>Plots</h2>',
        "".join(p.tag() for p in plots),
        "</section>",
        '<section id="reps"><h2>Every rep</h2>',
        rep_table(result.reps),
        "</section>",
        '<section id="quality"><h2>Quality warnings</h2>',
        f'<ul class="warnings">{quality}</ul>' if quality else "<p>No quality warnings.</p>",
        "</section>",
    ]
    parts += _video_section(video_file) + _method_and_software(thresholds, cutoff_hz, versions)
    return "\n".join(p for p in parts if p)


def _video_section(video_file: str | None) -> list[str]:
    if not video_file:
        return []
    return [
        '<section id="video" class="no-print"><h2>Annotated video</h2>',
        f'<p><a href="{escape(video_file)}">{escape(video_file)}</a> (in the same folder as this report): '
        "skeleton, lead leg, the hip–ankle line and the knee's offset from the foot at each rep, with live "
        "values; reps whose measures were withheld are marked grey.</p></section>",
    ]


def _method_and_software(thresholds: Thresholds, cutoff_hz: float, versions: dict[str, str] | None) -> list[str]:
    """Method, limitations, sources, and the software footer with the thresholds used."""
    return [
        '<section id="method"><h2>Method</h2>',
        "".join(f"<p>{escape(p)}</p>" for p in method_paragraphs(thresholds, cutoff_hz)),
        '<h2 id="limitations">Limitations</h2><ul>',
        "".join(f"<li>{escape(x)}</li>" for x in LIMITATIONS),
        '</ul><h3 id="sources">Sources</h3><ul class="refs">',
        "".join(f"<li><strong>{escape(a)}</strong> — {escape(b)}</li>" for a, b in SOURCES),
        "</ul></section>",
        '<footer id="software"><h3>Software and model</h3><dl class="fields">',
        "".join(f"<dt>{escape(k)}</dt><dd class='hash'>{escape(v)}</dd>" for k, v in (versions or {}).items()),
        "</dl><p>Analysed on this computer; nothing was uploaded. Thresholds: "
        + escape(", ".join(f"{k} = {v:g}" for k, v in dataclasses.asdict(thresholds).items()))
        + ".</p></footer></main></body></html>",
    ]
