"""``lunge-screen compare``: outputs, labels, config, and one-line errors with the documented exit codes."""

import json

import pytest
from sessions import make_session

from lunge_screen.cli import main
from lunge_screen.compare import Comparison
from lunge_screen.io.session import write_session


@pytest.fixture
def two_sessions(tmp_path):
    pre, post = tmp_path / "pre", tmp_path / "post"
    write_session(make_session({"right": [0.22, 0.24, 0.27]}, session_date="2026-01-12"), pre)
    write_session(make_session({"right": [0.04, 0.06, 0.09]}), post)
    return pre, post


def test_compare_writes_the_json_and_the_page(two_sessions, tmp_path, capsys):
    pre, post = two_sessions
    out = tmp_path / "cmp"
    assert main(["compare", str(pre), str(post / "session.json"), "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "The right knee now stays over the foot" in printed
    assert sorted(p.name for p in out.iterdir()) == ["comparison.html", "comparison.json", "comparison.png"]
    c = Comparison.from_json((out / "comparison.json").read_text(encoding="utf-8"))
    assert [s.label for s in c.sessions] == ["2026-01-12", "post"]  # the recorded date, then the folder's name
    assert c.headline("right").judgement == "less inward"
    html = (out / "comparison.html").read_text(encoding="utf-8")
    assert c.headline("right").sentence in html and "data:image/png;base64," in html


def test_labels_config_and_json_only(two_sessions, tmp_path, capsys):
    pre, post = two_sessions
    cfg = tmp_path / "c.toml"
    cfg.write_text('[compare]\nquantile = "normal"\nmdc_floor = 0.5\n', encoding="utf-8")
    out = tmp_path / "cmp"
    args = ["compare", str(pre), str(post), "-o", str(out), "--label", "week 0", "--label", "week 6"]
    assert main([*args, "--config", str(cfg), "--no-page", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert [s["label"] for s in data["sessions"]] == ["week 0", "week 6"]
    right = next(c for c in data["changes"] if c["leg"] == "right")
    assert right["mdc95"] == 0.5 and right["judgement"] == "no detectable change"  # the floor from the config
    assert [p.name for p in out.iterdir()] == ["comparison.json"]


@pytest.mark.parametrize(
    ("case", "code", "words"),
    [
        ("one session", 2, "at least two sessions"),
        ("labels", 2, "1 label(s) for 2 session(s)"),
        ("missing", 3, "no such session file or folder"),
        ("empty folder", 3, "no session.json in this folder"),
        ("not json", 9, "not a readable lunge-screen session.json"),
        ("other schema", 9, "schema version 7"),
        ("out is a file", 10, "is a file"),
    ],
)
def test_errors_are_one_line_with_their_exit_code(two_sessions, tmp_path, capsys, case, code, words):
    pre, post = two_sessions
    out = tmp_path / "cmp"
    sessions = [str(pre), str(post)]
    extra = []
    if case == "one session":
        sessions = [str(pre)]
    elif case == "labels":
        extra = ["--label", "only one"]
    elif case == "missing":
        sessions[1] = str(tmp_path / "nowhere")
    elif case == "empty folder":
        (tmp_path / "empty").mkdir()
        sessions[1] = str(tmp_path / "empty")
    elif case == "not json":
        (post / "session.json").write_text("{not json", encoding="utf-8")
    elif case == "other schema":
        data = json.loads((post / "session.json").read_text(encoding="utf-8"))
        data["schema_version"] = 7
        (post / "session.json").write_text(json.dumps(data), encoding="utf-8")
    elif case == "out is a file":
        out.write_text("x", encoding="utf-8")
        out = out / "sub"
    assert main(["compare", *sessions, "--out", str(out), *extra]) == code
    err = capsys.readouterr().err.strip()
    assert words in err and len(err.splitlines()) == 1 and "Traceback" not in err
    assert not out.exists() or not any(out.iterdir())


def test_analyse_records_the_session_date_and_person_size_that_compare_uses(tmp_path, capsys):
    from synth import lunge_series

    folders = []
    for k, (date, medial) in enumerate((("2026-01-12", 0.10), ("2026-02-23", 0.0))):
        npz = lunge_series(["left", "right"] * 3, {"right": medial}).save(tmp_path / f"s{k}.npz")
        folders.append(tmp_path / f"visit{k}")
        assert main(["analyse", str(npz), "--out", str(folders[-1]), "--session-date", date, "--no-report"]) == 0
    session = json.loads((folders[0] / "session.json").read_text(encoding="utf-8"))
    assert session["session_date"] == "2026-01-12"
    # tests/synth.py draws 800 px per metre; nose 1.67 m and ankle 0.08 m above the floor standing (1272 px),
    # the pelvis (and the nose) 0.36 m lower at a lunge's bottom (984 px): the median lies between.
    assert 984 < session["person_height_px"] < 1272
    out = tmp_path / "cmp"
    assert main(["compare", *map(str, folders), "--out", str(out), "--no-page"]) == 0
    c = Comparison.from_json((out / "comparison.json").read_text(encoding="utf-8"))
    assert [s.label for s in c.sessions] == ["2026-01-12", "2026-02-23"]
    assert c.headline("right").judgement == "less inward" and c.headline("left").judgement == "no detectable change"
    assert c.warnings == []
