"""Where the finding is shown: the report's finding box, per-rep reliability column, left-right note."""

from screen_reps import lunges, screen, squats

from lunge_screen.report.html import _finding_class, asymmetry_note, rep_table
from lunge_screen.results import Finding


class _Result:
    def __init__(self, finding):
        self.finding = finding


def test_the_finding_box_shows_flagged_mixed_clear_and_not_measurable():
    def cls(pattern, flag):
        return _finding_class(_Result(Finding(pattern, flag, "")))

    assert cls("left", True) == "flag" and cls("bilateral", True) == "flag"
    assert cls("inconsistent", False) == "mixed" and cls("unreliable", False) == "mixed"
    assert cls("none", False) == "clear" and cls("not measurable", False) == "na"


def test_a_poor_rep_is_listed_greyed_with_its_reasons():
    reps = lunges([0.02, 0.30], [], grades={"left": ["good", "poor"]})
    html = rep_table(reps)
    assert "<th>Reliability</th>" in html
    assert html.count('class="poor"') == 1
    assert "reliability poor (not counted): landmark jitter 0.03" in html


def test_the_left_right_note_gives_the_interval_or_why_there_is_none():
    *_, asym, _ = screen(lunges([0.25, 0.28, 0.30], [0.02, 0.04, 0.00]))
    note = asymmetry_note(asym[0])
    assert "+0.26" in note and "95% bootstrap interval" in note and "the left knee goes further inward" in note
    *_, asym, _ = screen(squats([0.2], [0.0]))
    assert asymmetry_note(asym[0]).startswith("Left and right not compared: too few reliable reps")
