"""The benchmark's scoring (benchmarks/rep_scoring.py): how reps are matched and how model agreement is counted."""

from benchmarks.rep_scoring import match_events, model_agreement


def test_events_match_one_to_one_within_the_tolerance_closest_first():
    # 2.1 and 2.3 both lie within 0.5 s of the reference at 2.0: the closer one takes it
    assert match_events([2.0, 5.0], [2.3, 2.1, 9.0]) == {1: 0}
    assert match_events([1.0], [1.6]) == {}


def test_model_agreement_counts_shared_reps_and_whether_their_legs_and_kinds_agree():
    full = [(1.0, "left", "lunge"), (3.0, "right", "lunge"), (5.0, "left", "lunge")]
    same = model_agreement({"lite": list(full), "full": list(full), "heavy": list(full)})
    assert same == {"shared": 3, "distinct": 3, "same_lead": 3, "same_kind": 3, "same_count": True}
    # lite misses the rep at 5 s and finds one at 7 s; heavy calls the 3 s rep a squat on both legs
    lite = [(1.1, "left", "lunge"), (2.9, "right", "lunge"), (7.0, "left", "lunge")]
    heavy = [(0.9, "left", "lunge"), (3.2, "both", "squat"), (5.1, "left", "lunge")]
    r = model_agreement({"lite": lite, "full": full, "heavy": heavy})
    assert (r["shared"], r["distinct"]) == (2, 4)  # 1 s and 3 s shared; 5 s (full, heavy) and 7 s (lite) not
    assert (r["same_lead"], r["same_kind"]) == (1, 1)
    assert r["same_count"]  # three reps each, though not the same three
