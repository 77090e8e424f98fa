"""session.json version 2: new fields round-trip, version 1 files are upgraded, unknown versions refused."""

import json

import pytest
from synth import lunge_series

from lunge_screen.pipeline import analyse_series
from lunge_screen.results import SCHEMA_VERSION, SessionResult


@pytest.fixture(scope="module")
def result():
    return analyse_series(lunge_series(["both"] * 3, {"left": 0.1, "right": 0.1}, drop=0.4)).result


def _as_version_1(d: dict) -> dict:
    """What version 1 wrote: no grades, intervals or judgements; the bilateral pattern was 'both'."""
    v1 = json.loads(json.dumps(d))
    v1["schema_version"] = 1
    v1["finding"]["pattern"] = "both"
    for r in v1["reps"]:
        r.pop("kind")  # version 1 derived it from the lead and never wrote it
        for m in r["legs"]:
            for k in ("reliability", "reliability_reasons", "reliability_concerns", "visibility_bottom", "jitter",
                      "shank_px", "shank_in_plane"):  # fmt: skip
                m.pop(k)
    for s in v1["legs"].values():
        for k in ("n_reliable", "judgement", "reliability", "reliability_reasons", "inward_reps", "reliable_reps"):
            s.pop(k)
    for a in v1["asymmetry"]:
        for k in ("interval_low", "interval_high", "interval_level", "n_left", "n_right", "judged", "detected",
                  "not_judged_reason"):  # fmt: skip
            a.pop(k)
    return v1


def test_version_2_carries_grades_and_intervals_and_round_trips(result):
    assert SCHEMA_VERSION == 2 and result.schema_version == 2
    assert result.finding.pattern == "bilateral"
    m = result.reps[0].legs[0]
    # a deep squat tilts the shank toward the camera (0.4 m pelvis drop): in-plane ratio about 0.7
    assert m.reliability == "fair" and m.reliability_concerns == ["foreshortening"]
    assert m.jitter == pytest.approx(0.0, abs=1e-3) and 0.6 < m.shank_in_plane < 0.8
    kof = result.asymmetry[0]
    assert kof.judged and kof.interval_low is not None and kof.interval_level == 0.95
    again = SessionResult.from_json(result.to_json())
    assert again == result


def test_a_version_1_file_is_read_and_upgraded(result):
    old = SessionResult.from_dict(_as_version_1(result.to_dict()))
    assert old.schema_version == 2 and old.finding.pattern == "bilateral"
    assert old.reps[0].legs[0].reliability is None and old.legs["left"].judgement is None
    assert not old.asymmetry[0].judged
    assert old.reps[0].legs[0].knee_over_foot_peak == result.reps[0].legs[0].knee_over_foot_peak
    assert [r.kind for r in old.reps] == ["squat"] * 3  # version 1's rule: lead 'both' is a squat


def test_an_unknown_version_is_refused_with_the_documented_error(result):
    d = result.to_dict()
    d["schema_version"] = 3
    with pytest.raises(ValueError, match="schema version 3 is not supported"):
        SessionResult.from_dict(d)
