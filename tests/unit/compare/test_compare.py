"""compare(): synthetic sessions of known change -> the right judgement, sign, MDC, sentence and warnings."""

import math
import statistics

import pytest
from scipy import stats as st
from sessions import make_session

from lunge_screen.compare import CompareError, Comparison, compare
from lunge_screen.io.session import write_session
from lunge_screen.settings import CompareSettings

K3 = math.sqrt(3 * (1 - math.sqrt(3) / math.pi))  # the median-of-3 factor, closed form


def _mdc3(before, after, q):
    """MDC of two 3-rep medians, computed here from the formula in docs/measurement.md."""
    return q * K3 * math.sqrt(statistics.variance(before) / 3 + statistics.variance(after) / 3)


BEFORE = [0.22, 0.24, 0.27]  # right knee inward on every rep
AFTER = [0.04, 0.06, 0.09]  # ... then over the foot


def test_a_change_larger_than_the_mdc_is_found_with_its_sign():
    c = compare([make_session({"right": BEFORE}), make_session({"right": AFTER})], ["pre", "post"])
    ch = c.headline("right")
    assert ch.change == pytest.approx(0.06 - 0.24)
    # Equal SDs and counts: Welch's degrees of freedom are 2 + 2 = 4.
    assert ch.mdc95 == pytest.approx(_mdc3(BEFORE, AFTER, st.t.ppf(0.975, 4)), rel=1e-4)
    assert abs(ch.change) > ch.mdc95
    assert ch.judgement == "less inward"
    assert (ch.n_inward_before, ch.n_inward_after) == (3, 0)
    assert ch.categories_change == {"over foot": 3, "slightly medial": 0, "clearly medial": -3, "lateral": 0}
    assert ch.sentence.startswith("The right knee now stays over the foot: peak knee-over-foot from +0.24 to +0.06")
    assert f"a change larger than the {ch.mdc95:.2f} detectable with these rep counts" in ch.sentence
    assert c.summary[1] == ch.sentence  # the headline lists left, right, then the asymmetry

    back = compare([make_session({"right": AFTER}), make_session({"right": BEFORE})])
    assert back.headline("right").judgement == "more inward"
    assert back.headline("right").change == pytest.approx(+0.18)
    assert back.headline("right").sentence.startswith("The right knee now rolls inward")


def test_the_textbook_normal_quantile_gives_a_smaller_mdc():
    c = compare([make_session({"right": BEFORE}), make_session({"right": AFTER})],
                settings=CompareSettings(quantile="normal"))  # fmt: skip
    assert c.headline("right").mdc95 == pytest.approx(_mdc3(BEFORE, AFTER, 1.959964), rel=1e-4)


def test_a_change_inside_the_mdc_is_no_detectable_change():
    c = compare([make_session({"left": [0.10, 0.20, 0.30]}), make_session({"left": [0.14, 0.22, 0.28]})])
    ch = c.headline("left")
    assert ch.change == pytest.approx(0.02)
    assert ch.mdc95 > 0.02
    assert ch.judgement == "no detectable change"
    assert ch.sentence.startswith("Left knee: no detectable change — peak knee-over-foot from +0.20 to +0.22")
    assert "within the" in ch.sentence


def test_too_few_reps_withhold_the_change_with_the_reason():
    one = compare([make_session({"right": BEFORE}), make_session({"right": [0.05, None, None]})], ["a", "b"])
    ch = one.headline("right")
    assert (ch.judgement, ch.change, ch.mdc95) == ("withheld", None, None)
    assert "only 1 reliable right-leg rep in b; at least 3 are needed" in ch.withheld_reason
    assert ch.sentence.startswith("Right knee: change not judged")
    untested = one.headline("left")
    assert untested.judgement == "withheld" and untested.withheld_reason == "no left-leg reps in a"
    # Reps graded poor are measured but not compared, as in the session's own summary.
    graded = make_session({"right": [0.05, 0.30, 0.07]}, poor={"right": {1, 2}})
    poor = compare([make_session({"right": BEFORE}), graded], ["a", "b"]).headline("right")
    assert poor.withheld_reason.startswith("only 1 reliable right-leg rep in b (2 of the 3 measured graded poor)")
    assert compare([graded, graded]).legs["right"][0].values == [0.05]
    # The session's own minimum number of reps counts too.
    strict = {"min_reps_per_leg": 4}
    three = compare([make_session({"right": BEFORE}, thresholds=strict), make_session({"right": AFTER})])
    assert three.headline("right").judgement == "withheld"
    assert "at least 4 are needed" in three.headline("right").withheld_reason


def test_asymmetry_per_session_and_its_change():
    pre = make_session({"left": [0.30, 0.32, 0.34], "right": [0.02, 0.04, 0.06]})
    post = make_session({"left": [0.03, 0.05, 0.07], "right": [0.02, 0.04, 0.06]})
    c = compare([pre, post])
    a0, a1 = c.asymmetry
    assert a0.difference == pytest.approx(0.28) and a0.exceeds_sdd and a0.worse_leg == "left"
    assert a1.difference == pytest.approx(0.01) and not a1.exceeds_sdd and a1.worse_leg is None
    (ac,) = c.asymmetry_changes
    assert ac.change == pytest.approx(-0.27) and ac.judgement == "changed"
    sd = 0.02  # every leg's rep-to-rep SD here; four medians of 3, Welch df = 4 * 2
    assert ac.mdc95 == pytest.approx(st.t.ppf(0.975, 8) * K3 * sd / math.sqrt(3) * 2, rel=1e-4)
    assert "now within the 0.10 smallest detectable difference" in ac.sentence


def test_three_sessions_give_consecutive_pairs_and_first_to_last():
    s = [make_session({"right": v}) for v in ([0.30, 0.32, 0.35], [0.18, 0.20, 0.21], [0.02, 0.05, 0.06])]
    c = compare(s, ["w0", "w4", "w8"])
    spans = [(ch.before, ch.after, ch.span) for ch in c.changes if ch.leg == "right"]
    assert spans == [(0, 1, "consecutive"), (1, 2, "consecutive"), (0, 2, "first to last")]
    assert c.headline("right").change == pytest.approx(0.05 - 0.32)
    assert c.summary[1].startswith("From w0 to w8: The right knee now stays over the foot")


def test_setup_differences_are_warned_and_the_window_is_not():
    base = make_session({"right": BEFORE}, extraction={"start": 0.0, "end": 6.0})
    same = make_session({"right": AFTER}, extraction={"start": 6.0, "end": None})
    assert compare([base, same]).warnings == []
    other = make_session(
        {"right": AFTER},
        thresholds={"over_foot_max": 0.12},
        model="heavy",
        model_sha256="b" * 64,
        software_version="0.2.0",
        view="rear",
        fps=60.0,
        person_height_px=600.0,
    )
    w = {x.code: x.message for x in compare([base, other], ["jan", "mar"]).warnings}
    assert set(w) == {"settings", "model", "software_version", "view", "frame_rate", "person_size"}
    assert "analysis.thresholds.over_foot_max 0.1 → 0.12" in w["settings"] and w["settings"].startswith("jan → mar")
    assert "900 → 600 px" in w["person_size"]
    assert "30 → 60 frames/s" in w["frame_rate"]
    capped = make_session({"right": AFTER}, fps=240.0, extraction={"max_fps": 30.0})  # analysed at 30 fps
    assert "frame_rate" not in {x.code for x in compare([base, capped]).warnings}
    unknown = make_session({"right": AFTER}, person_height_px=None)
    assert [x.code for x in compare([base, unknown]).warnings] == ["person_size_unknown"]


def test_labels_default_to_the_session_date_then_the_folder(tmp_path):
    dated = make_session({"right": BEFORE}, session_date="2026-01-12")
    folder = tmp_path / "second visit"
    write_session(make_session({"right": AFTER}), folder)
    c = compare([dated, folder, folder / "session.json"])
    assert [s.label for s in c.sessions] == ["2026-01-12", "second visit", "second visit (2)"]
    assert c.sessions[1].source == str(folder / "session.json")
    assert [s.label for s in compare([dated, folder], ["pre", "post"]).sessions] == ["pre", "post"]
    with pytest.raises(CompareError, match="3 label"):
        compare([dated, folder], ["a", "b", "c"])
    with pytest.raises(CompareError, match="1 label"):
        compare([dated, folder], ["only one"])
    with pytest.raises(CompareError, match="at least two"):
        compare([dated])


def test_json_round_trip_is_lossless(tmp_path):
    c = compare([make_session({"left": [0.1, 0.2], "right": BEFORE}), make_session({"right": AFTER})], ["a", "b"])
    again = Comparison.from_json(c.to_json())
    assert again == c
    assert again.legs["right"][0].values == BEFORE  # every rep value, exactly
    data = c.to_dict()
    data["schema_version"] = 99
    with pytest.raises(ValueError, match="version 99"):
        Comparison.from_dict(data)
