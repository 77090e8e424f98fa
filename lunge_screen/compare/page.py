"""The comparison page: one self-contained HTML file in the report's style (its stylesheet, no scripts, no requests).

The same Content-Security-Policy as the report (:mod:`lunge_screen.report.html`): only
inline ``data:`` images and the inline stylesheet; it prints to A4. Every piece of text
from outside (labels, file names, messages) is HTML-escaped.
"""

from __future__ import annotations

from html import escape
from pathlib import PurePath

from .. import __version__
from ..report.html import CSP, InlineImage, css
from ..types import CATEGORIES, LEGS
from .method import COMPARE_SOURCES, NOTE, method_paragraphs
from .model import Comparison, LegChange, LegSession
from .sentences import signed

EXTRA_CSS = """
.finding.change { border-left-color: #1565c0; background: #e8f0fe; }
.finding.change .summary { font-size: 1.08rem; margin: 0 0 0.45rem; }
.kf { display: grid; grid-template-columns: repeat(auto-fit, minmax(14rem, 1fr)); gap: 0 1rem; }
.judgement { font-weight: 650; white-space: nowrap; }
.j-more-inward { color: #b26a00; } .j-less-inward { color: #1565c0; }
.j-withheld, .j-no-detectable-change { color: var(--muted); }
@media print { .kf { grid-template-columns: repeat(2, 1fr); } .kf figure img { max-height: 80mm; } }
"""


def _num(v: float | None, spec: str = "+.2f") -> str:
    if v is None:
        return "–"
    return signed(v) if spec == "+.2f" else f"{v:{spec}}"


def _leg(leg: str) -> str:
    return f'<span class="leg-{escape(leg)}">{escape(leg.capitalize())}</span>'


def _judgement(j: str) -> str:
    return f'<span class="judgement j-{j.replace(" ", "-")}">{escape(j)}</span>'


def _table(head: list[str], rows: list[list[str]], numeric: set[int], wrap: frozenset[int] = frozenset()) -> str:
    """A table in the report's per-rep style: one line per row on a wide screen, a card per row on a phone.

    ``numeric`` columns are right-aligned, ``wrap`` columns may wrap (every other cell stays on one line).
    """

    def cls(i: int) -> str:
        return "num" if i in numeric else "why" if i in wrap else "txt"

    th = "".join(f'<th scope="col" class="{"num" if i in numeric else ""}">{h}</th>' for i, h in enumerate(head))
    body = "".join(
        "<tr>"
        + "".join(f'<td class="{cls(i)}" data-label="{escape(head[i])}">{c}</td>' for i, c in enumerate(r))
        + "</tr>"
        for r in rows
    )
    return f'<div class="scroll"><table class="reps"><thead><tr>{th}</tr></thead><tbody>{body}</tbody></table></div>'


def _cats(s: LegSession) -> str:
    parts = [f"{n} {escape(c)}" for c in CATEGORIES if (n := s.categories.get(c, 0))]
    return ", ".join(parts) or "–"


def legs_section(c: Comparison) -> str:
    """One table per leg: its compared (reliable) reps in each session."""
    out = []
    for leg in LEGS:
        rows = [
            [
                escape(c.sessions[s.session].label),
                f"{s.n_reliable} of {s.n_assessed}"
                + (f" ({s.n_measured} measured)" if s.n_measured != s.n_reliable else ""),
                _num(s.median),
                _num(s.sd, ".2f"),
                f"{s.n_inward} of {s.n_reliable}",
                _cats(s),
            ]
            for s in c.legs[leg]
        ]
        head = ["Session", "Reps compared", "Median peak", "Rep-to-rep SD", "Inward", "Categories"]
        out.append(f"<h3>{_leg(leg)} knee</h3>" + _table(head, rows, {1, 2, 3, 4}, frozenset({5})))
    return "".join(out)


def _change_row(c: Comparison, ch: LegChange) -> list[str]:
    pair = f"{escape(c.sessions[ch.before].label)} → {escape(c.sessions[ch.after].label)}"
    return [
        _leg(ch.leg),
        pair + (" (first → last)" if ch.span == "first to last" else ""),
        f"{_num(ch.median_before)} → {_num(ch.median_after)}",
        _num(ch.change),
        _num(ch.mdc95, ".2f"),
        _judgement(ch.judgement)
        + (f"<br><span class=note>{escape(ch.withheld_reason)}</span>" if ch.withheld_reason else ""),
    ]


def changes_section(c: Comparison) -> str:
    head = ["Knee", "Sessions", "Median peak", "Change", "MDC95", "Judgement"]
    table = _table(head, [_change_row(c, ch) for ch in c.changes], {2, 3, 4}, frozenset({1, 5}))
    sentences = "".join(f"<li>{escape(ch.sentence)}</li>" for ch in c.changes if ch.span == "consecutive")
    return table + (f"<ul>{sentences}</ul>" if len(c.sessions) > 2 else "")


def asymmetry_section(c: Comparison) -> str:
    rows = []
    for a in c.asymmetry:
        if a.difference is None:
            verdict = f"not judged: {a.not_judged_reason}" if a.not_judged_reason else "–"
        elif a.worse_leg:
            verdict = f"the {a.worse_leg} further inward"
        else:
            verdict = "beyond the SDD, within the scatter" if a.exceeds_sdd else "within"
        rows.append(
            [
                escape(c.sessions[a.session].label),
                _num(a.left),
                _num(a.right),
                _num(a.difference),
                f"{a.sdd:.2f}",
                escape(verdict),
            ]
        )
    head = ["Session", "Left", "Right", "Left − right", "SDD", "The session's judgement"]
    lines = "".join(f"<li>{escape(a.sentence)}</li>" for a in c.asymmetry_changes)
    return _table(head, rows, {1, 2, 3, 4}, frozenset({5})) + f"<ul>{lines}</ul>"


def _fields(c: Comparison, generated: str) -> str:
    items = []
    for k, s in enumerate(c.sessions, start=1):
        video = PurePath(s.video).name or "–"
        date = f", {s.session_date}" if s.session_date and s.session_date != s.label else ""
        items.append((f"Session {k}", f"{s.label}{date} — {video}, {s.n_reps} rep(s), {s.view} view"))
    items.append(("Measure", "peak knee-over-foot of each reliable rep (shank lengths, inward +)"))
    items.append(("Page generated", generated or "–"))
    return '<dl class="fields">' + "".join(f"<dt>{escape(k)}</dt><dd>{escape(v)}</dd>" for k, v in items) + "</dl>"


def _keyframes(c: Comparison, images: list[InlineImage | None]) -> str:
    figs = []
    for s, img in zip(c.sessions, images):
        if img is not None:
            figs.append(img.tag())
        else:
            figs.append(
                f'<figure><p class="note">{escape(s.label)}: no key frames (the session\'s report was not '
                "written, or its folder is not known).</p></figure>"
            )
    return f'<div class="kf">{"".join(figs)}</div>'


def _head(title: str) -> list[str]:
    return [
        "<!doctype html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">',
        '<meta name="referrer" content="no-referrer"><link rel="icon" href="data:,">',
        f"<title>{escape(title)}</title><style>{css()}{EXTRA_CSS}</style></head><body><main>",
    ]


def _method_and_software(c: Comparison) -> list[str]:
    cs = c.settings.get("compare", {})
    paragraphs = method_paragraphs(cs.get("confidence", 0.95), cs.get("quantile", "t"), cs.get("mdc_floor", 0.0))
    analysed = ", ".join(f"{s.label}: lunge-screen {s.software_version or '?'}, model {s.model}" for s in c.sessions)
    return [
        '<section id="method"><h2>Method</h2>',
        "".join(f"<p>{escape(p)}</p>" for p in paragraphs),
        '<h3 id="sources">Sources</h3><ul class="refs">',
        "".join(f"<li><strong>{escape(a)}</strong> — {escape(b)}</li>" for a, b in COMPARE_SOURCES),
        "</ul></section>",
        '<footer id="software"><h3>Software</h3><p>',
        escape(f"Comparison by lunge-screen {c.software_version or __version__}; sessions analysed by {analysed}"),
        ". Analysed on this computer; nothing was uploaded.</p></footer></main></body></html>",
    ]


def render_page(c: Comparison, plot: InlineImage, keyframes: list[InlineImage | None], generated: str = "") -> str:
    """The whole comparison page as a string (see the module docstring)."""
    title = "Lunge screen: before and after"
    summary = "".join(f'<p class="summary">{escape(line)}</p>' for line in c.summary)
    warnings = "".join(f"<li>{escape(w.message)}</li>" for w in c.warnings)
    alike = "None found: same settings, model, software version, view, frame rate and person's size in the image."
    findings = "".join(f"<li><strong>{escape(s.label)}:</strong> {escape(s.finding)}</li>" for s in c.sessions)
    parts = [
        *_head(title),
        f"<header><h1>{escape(title)}</h1>",
        f'<p class="subtitle">{len(c.sessions)} screening sessions compared — a screening result, not a diagnosis.</p>',
        _fields(c, generated),
        "</header>",
        f'<section class="finding change" id="change"><h2>Change</h2>{summary}</section>',
        f'<p class="note">{escape(NOTE)}</p>',
        '<section id="setup"><h2>Set-up differences</h2>',
        f'<ul class="warnings">{warnings}</ul>' if warnings else f"<p>{escape(alike)}</p>",
        "</section>",
        f'<section id="plot"><h2>Plot</h2>{plot.tag()}</section>',
        f'<section id="changes"><h2>Every change</h2>{changes_section(c)}</section>',
        f'<section id="legs"><h2>Per leg, per session</h2>{legs_section(c)}</section>',
        f'<section id="asymmetry"><h2>Left–right difference</h2>{asymmetry_section(c)}</section>',
        '<section id="keyframes"><h2>Key frames</h2>',
        '<p class="note">The bottom of each leg\'s most inward rep in each session, as in its report.</p>',
        _keyframes(c, keyframes),
        "</section>",
        f'<section id="sessions"><h2>Each session\'s own finding</h2><ul>{findings}</ul></section>',
        *_method_and_software(c),
    ]
    return "\n".join(p for p in parts if p)
