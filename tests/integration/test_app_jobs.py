"""The app's analyses, run for real (``python -m lunge_screen.app.job`` subprocesses through the queue).

Bad input fails its session with the very message the command line prints for the same file,
shown in the page, and the app goes on with the next video; a re-analysis with other thresholds
reuses the saved landmarks and runs no pose model.
"""

from __future__ import annotations

import html
import json
from pathlib import Path

import pytest
from app_helpers import add_patient, app_client, upload, wait_finished
from conftest import MODELS
from media import make_video
from synth import lunge_series

from lunge_screen.cli import main
from lunge_screen.pipeline import analyse_series


def _cli_error(tmp_path, monkeypatch, capsys, name: str, content: bytes) -> str:
    """What ``lunge-screen analyse NAME`` prints for this file, without the program's prefix."""
    folder = tmp_path / "cli"
    folder.mkdir(exist_ok=True)
    (folder / name).write_bytes(content)
    monkeypatch.chdir(folder)
    capsys.readouterr()
    code = main(["analyse", name, "-o", "out", "--model", "lite", "--no-download", "--quiet"])
    err = capsys.readouterr().err.strip()
    assert code in (4, 5, 6), err
    assert err.startswith("lunge-screen: error: ")
    return err.removeprefix("lunge-screen: error: ")


def _bad_inputs(shared_dir) -> dict[str, bytes]:
    inputs = {"notes.txt": b"Patient notes, not a video.\n" * 40, "empty.mp4": b""}
    if shared_dir is not None:
        clip = (shared_dir / "videos" / "lunge_front_portrait.mp4").read_bytes()
        inputs["truncated.mp4"] = clip[: len(clip) // 3]
    return inputs


@pytest.mark.shared
def test_bad_inputs_fail_with_the_cli_message_in_the_page_and_the_app_goes_on(tmp_path, monkeypatch, capsys, shared):
    monkeypatch.setenv("LUNGE_SCREEN_MODEL_DIR", str(MODELS))  # absolute: the test changes folders
    inputs = _bad_inputs(shared)
    expected = {name: _cli_error(tmp_path, monkeypatch, capsys, name, content) for name, content in inputs.items()}
    good = make_video(tmp_path / "bars.mp4", n=20, size=(160, 96))  # a video in which nobody is seen
    monkeypatch.chdir(tmp_path)
    main(["analyse", str(good), "-o", "cli-good", "--model", "lite", "--no-download", "--quiet", "--no-video"])
    no_person = capsys.readouterr().out.splitlines()[0]

    with app_client(tmp_path / "data", run_jobs=True) as c:
        patient = add_patient(c)
        ids = {name: upload(c, patient, content, name=name).json()["id"] for name, content in inputs.items()}
        good_id = upload(c, patient, good.read_bytes(), name="bars.mp4").json()["id"]  # queued after the bad ones
        for name, sid in ids.items():
            assert wait_finished(c, sid) == "failed", name
            assert c.app.state.store.session(sid).error == expected[name]
            page = html.unescape(c.get(f"/sessions/{sid}").text)
            assert expected[name] in page
        assert wait_finished(c, good_id) == "done"  # one bad video never stops the queue
        page = html.unescape(c.get(f"/sessions/{good_id}").text)
        assert no_person in page
        assert "no person" in no_person.lower()


def test_reanalysis_with_other_thresholds_reuses_the_saved_landmarks(tmp_path):
    series = lunge_series(["left", "right"] * 3, {"left": 0.15})
    series.source.model = "lite"
    expected_reps = len(analyse_series(series).result.reps)
    assert expected_reps == 6
    video = make_video(tmp_path / "bars.mp4", n=series.n_frames, size=(96, 160))  # pose model would see nobody
    with app_client(tmp_path / "data") as c:  # the queue starts once the landmarks are in place
        patient = add_patient(c)
        sid = upload(c, patient, video.read_bytes(), name="bars.mp4").json()["id"]
        c.post(f"/sessions/{sid}/cancel")
        session_dir = c.app.state.folder.session_dir(sid)
        series.save(session_dir / "landmarks.npz")  # as a first analysis with the lite model left them
        r = c.post(f"/sessions/{sid}/settings", data={"model": "lite", "t_clearly_medial_min": "0.3"})
        assert r.status_code == 303, r.text
        c.app.state.runner.start()
        assert wait_finished(c, sid) == "done", c.app.state.store.session(sid).error
        result = json.loads((session_dir / "results" / "session.json").read_text())
        assert len(result["reps"]) == expected_reps  # the synthetic landmarks, not a new pose model run
        assert result["settings"]["analysis"]["thresholds"]["clearly_medial_min"] == 0.3
        assert c.app.state.store.session(sid).thresholds == {"clearly_medial_min": 0.3}
        page = c.get(f"/sessions/{sid}").text
        assert "clearly_medial_min = 0.3" in page
        assert "Landmarks saved by the lite model" in page


def test_a_bad_threshold_is_refused_in_the_page(tmp_path):
    with app_client(tmp_path / "data") as c:
        patient = add_patient(c)
        sid = upload(c, patient, b"x").json()["id"]
        c.app.state.store.finish(sid, "failed", "not a video")
        r = c.post(f"/sessions/{sid}/settings", data={"model": "lite", "t_over_foot_max": "a lot"})
        assert r.status_code == 400
        assert "over_foot_max: &#39;a lot&#39; is not a number" in r.text
        r = c.post(f"/sessions/{sid}/settings", data={"model": "huge"})
        assert r.status_code == 400 and "not one of lite, full, heavy" in r.text
        assert c.app.state.store.session(sid).status == "failed"  # nothing queued


@pytest.mark.shared
def test_a_side_view_session_shows_why_nothing_is_measured(tmp_path, clip_series, clip_analysis):
    name = "reverse_lunge_side_view.mp4"
    series = clip_series(name)
    expected = clip_analysis(name).result.finding.summary
    with app_client(tmp_path / "data") as c:  # the queue starts once the landmarks are in place
        patient = add_patient(c)
        sid = upload(c, patient, Path(series.source.video).read_bytes(), name=name, model=series.source.model)
        sid = sid.json()["id"]
        series.save(c.app.state.folder.session_dir(sid) / "landmarks.npz")  # extracted once per test run
        c.app.state.runner.start()
        assert wait_finished(c, sid) == "done"
        page = html.unescape(c.get(f"/sessions/{sid}").text)
        assert expected in page
        assert "frontal-plane knee measures need a front or rear view" in page
