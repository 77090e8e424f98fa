"""changes.csv of a batch: each participant's sessions, in manifest order, one row per leg x consecutive pair."""

import csv

import pytest
from sessions import make_session

from lunge_screen.batch.changes import CHANGE_COLUMNS, change_rows, has_sessions, write_changes
from lunge_screen.batch.cohort import CohortEntry


def entry(path, participant, session, values, status="ok"):
    result = make_session(values) if status == "ok" else None
    return CohortEntry(f"{path}.mp4", f"/v/{path}.mp4", f"videos/{path}", status, result,
                       meta={"participant": participant, "session": session})  # fmt: skip


# Listed in time order in the manifest; the file names sort the other way round.
ENTRIES = [
    entry("z_pre", "P01", "pre", {"right": [0.22, 0.24, 0.27]}),
    entry("a_solo", "P02", "pre", {"right": [0.1, 0.12, 0.11]}),
    entry("y_mid", "P01", "mid", {"right": [0.2, 0.25, 0.23]}, status="failed"),
    entry("x_post", "P01", "post", {"right": [0.04, 0.06, 0.09], "left": [0.0, 0.02]}),
]
ORDER = {e.path: k for k, e in enumerate(ENTRIES)}


def test_one_row_per_participant_leg_and_consecutive_pair(tmp_path):
    assert has_sessions(ENTRIES)
    rows = change_rows(list(reversed(ENTRIES)), ORDER)  # the entries' own order does not matter
    assert [(r["participant"], r["leg"], r["session_from"], r["session_to"]) for r in rows] == [
        ("P01", "left", "pre", "post"),  # the failed "mid" session is left out; P02 has one session
        ("P01", "right", "pre", "post"),
    ]
    left, right = rows
    assert (left["judgement"], left["change"], left["n_from"]) == ("withheld", None, 0)
    assert left["withheld_reason"] == "no left-leg reps in pre"
    assert right["judgement"] == "less inward" and right["change"] == pytest.approx(0.06 - 0.24)
    assert right["median_from"] == pytest.approx(0.24) and right["sd_to"] == pytest.approx(0.025166, rel=1e-4)
    assert right["cat_clearly_medial_change"] == -3 and right["video_from"] == "z_pre.mp4"
    assert right["setup_warnings"] == ""

    path = write_changes(ENTRIES, tmp_path, ORDER)
    with open(path, encoding="utf-8", newline="") as f:
        table = list(csv.DictReader(f))
    assert list(table[0]) == CHANGE_COLUMNS and len(table) == 2
    assert table[0]["change"] == "" and float(table[1]["change"]) == pytest.approx(-0.18)  # empty = not computed
    assert not list(tmp_path.glob("*.tmp"))


def test_no_pairs_give_a_header_only_and_no_columns_no_table(tmp_path):
    solo = [ENTRIES[1]]
    path = write_changes(solo, tmp_path, {solo[0].path: 0})
    assert path.read_text(encoding="utf-8").splitlines() == [",".join(CHANGE_COLUMNS)]
    plain = [CohortEntry("a.mp4", "/v/a.mp4", "videos/a", "ok", make_session({}), meta={"group": "x"})]
    assert not has_sessions(plain)
