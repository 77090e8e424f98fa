"""The comparison in the clinician's words: one sentence per leg and change, one for the left-right difference.

The tool screens: a sentence says where the knee went and whether that is more than the
measurement's own noise, never why ("improved after treatment" is not ours to say).
Example: "The right knee now stays over the foot: peak knee-over-foot from +0.24 to +0.06,
a change larger than the 0.09 detectable with these rep counts (inward on 4 of 4 reps, then 0 of 4)."
"""

from __future__ import annotations

from typing import Literal

from ..types import Judgement, Leg
from .model import AsymmetryChange, LegSession, SessionAsymmetry

#: Where a leg's knee was in one session, from its measured reps' categories.
KneeState = Literal["inward", "over", "outside", "unmeasured"]

STILL = {
    "inward": "it still rolls inward",
    "over": "it stays over the foot",
    "outside": "it stays outside the foot",
}


def signed(v: float) -> str:
    """``+0.24`` / ``-0.06`` (never ``-0.00``)."""
    text = f"{v:+.2f}"
    return "+0.00" if text == "-0.00" else text


def knee_state(s: LegSession, inward_fraction: float) -> KneeState:
    """``inward`` when more than ``inward_fraction`` of the reliable reps are medial (as the screen's
    "rolls inward"), ``outside`` when most are lateral, else ``over`` (the foot)."""
    if s.n_reliable == 0:
        return "unmeasured"
    if s.n_inward > inward_fraction * s.n_reliable:
        return "inward"
    if 2 * s.categories.get("lateral", 0) > s.n_reliable:
        return "outside"
    return "over"


def _movement(judgement: Judgement, before: KneeState, after: KneeState) -> str:
    """What the knee did, for a change beyond the smallest detectable change."""
    if judgement == "less inward":
        if after == "over":
            return "now stays over the foot" if before == "inward" else "moves outward and stays over the foot"
        if after == "outside":
            return "now stays outside the foot" if before != "outside" else "moves further outside the foot"
        return "goes less far inward"
    if after == "inward":
        return "now rolls inward" if before != "inward" else "goes further inward"
    if after == "over":
        return "moves inward, now over the foot" if before == "outside" else "moves inward but stays over the foot"
    return "moves inward but stays outside the foot"


def change_sentence(
    leg: Leg,
    before: LegSession,
    after: LegSession,
    judgement: Judgement,
    change: float | None,
    mdc95: float | None,
    withheld_reason: str | None,
    inward_fraction: float,
) -> str:
    """One leg's change between two sessions in the clinician's words (see the module docstring)."""
    if judgement == "withheld" or change is None or mdc95 is None:
        return f"{leg.capitalize()} knee: change not judged — {withheld_reason or 'not measured'}."
    span = f"peak knee-over-foot from {signed(before.median)} to {signed(after.median)}"
    counts = f"inward on {before.n_inward} of {before.n_reliable} reps, then {after.n_inward} of {after.n_reliable}"
    sb, sa = knee_state(before, inward_fraction), knee_state(after, inward_fraction)
    if judgement == "no detectable change":
        still = f"; {STILL[sa]}" if sa == sb and sa in STILL else ""
        return (
            f"{leg.capitalize()} knee: no detectable change — {span}, a change of {signed(change)}, within the "
            f"{mdc95:.2f} detectable with these rep counts{still} ({counts})."
        )
    return (
        f"The {leg} knee {_movement(judgement, sb, sa)}: {span}, a change larger than the {mdc95:.2f} "
        f"detectable with these rep counts ({counts})."
    )


def asymmetry_sentence(a: AsymmetryChange, after: SessionAsymmetry) -> str:
    """The left-minus-right difference's change, and where it stands afterwards (as the later session judged it)."""
    if a.judgement == "withheld" or a.change is None or a.mdc95 is None:
        return f"Left–right difference: not compared — {a.withheld_reason or 'not measured'}."
    head = (
        f"Left–right difference (left − right median peak knee-over-foot) from {signed(a.difference_before)} "
        f"to {signed(a.difference_after)}"
    )
    if a.judgement == "no detectable change":
        return f"{head}: no detectable change (within the {a.mdc95:.2f} detectable with these rep counts)."
    if after.worse_leg:
        now = (
            f"now the {after.worse_leg} knee goes further inward (beyond the {after.sdd:.2f} smallest detectable "
            "difference between the legs and the session's rep-to-rep scatter)"
        )
    elif after.exceeds_sdd:
        now = (
            f"now more than the {after.sdd:.2f} smallest detectable difference between the legs, but within the "
            "session's rep-to-rep scatter"
        )
    else:
        now = f"now within the {after.sdd:.2f} smallest detectable difference between the legs"
    return f"{head}: a change larger than the {a.mdc95:.2f} detectable with these rep counts; {now}."
