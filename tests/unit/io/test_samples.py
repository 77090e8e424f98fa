"""Sample-clip manifest and lookup: data folder, cache, checksummed download (no outside network)."""

from __future__ import annotations

import hashlib
import json
import re
import subprocess
from importlib import resources
from pathlib import Path

import pytest
from http_server import serve

from lunge_screen.cli import main
from lunge_screen.errors import InputNotFoundError, ModelDownloadError
from lunge_screen.io import samples

ROOT = Path(__file__).resolve().parents[3]


def _sample(name: str, payload: bytes, url: str | None = None) -> samples.Sample:
    return samples.Sample(
        name=name,
        sha256=hashlib.sha256(payload).hexdigest(),
        size=len(payload),
        url=url,
        licence="test",
        shows="test bytes",
    )


@pytest.fixture
def fake_manifest(monkeypatch, tmp_path):
    """Replace the manifest with one entry and isolate the data folder and cache."""
    payload = b"not really a video\n" * 100
    entry = _sample("clip.mp4", payload)
    state = {"entries": [entry]}
    monkeypatch.setattr(samples, "manifest", lambda: state["entries"])
    cache = tmp_path / "cache"
    monkeypatch.setattr(samples, "cache_dir", lambda: cache)
    monkeypatch.delenv(samples.ENV_DATA_DIR, raising=False)

    def set_url(url: str | None) -> samples.Sample:
        state["entries"] = [samples.Sample(**{**entry.__dict__, "url": url})]
        return state["entries"][0]

    return payload, entry, cache, set_url


# ---- the committed manifest ----------------------------------------------------------------


def test_manifest_is_sane():
    entries = samples.manifest()
    names = [s.name for s in entries]
    assert len(names) == len(set(names)), "sample names must be unique"
    assert len(entries) >= 1
    for s in entries:
        assert re.fullmatch(r"[0-9a-f]{64}", s.sha256), s.name
        assert s.size > 0, s.name
        assert s.licence.strip(), f"{s.name}: every sample needs a licence statement"
        assert s.shows.strip(), s.name
        assert "/" not in s.name and "\\" not in s.name, s.name
        if s.url is not None:
            assert s.url.startswith("https://"), f"{s.name}: download addresses must be https"
        if s.url is None:
            assert s.note.strip(), f"{s.name}: without a download address, the note must say where the clip is from"


def test_manifest_has_only_known_keys():
    raw = json.loads(resources.files("lunge_screen").joinpath("data/samples.json").read_text(encoding="utf-8"))
    fields = set(samples.Sample.__dataclass_fields__)
    for entry in raw["samples"]:
        assert set(entry) <= fields, set(entry) - fields
        assert {"name", "sha256", "size", "url", "licence", "shows"} <= set(entry)


def test_manifest_matches_the_readme_table():
    """Every clip in the manifest is listed in sample_videos/README.md with its sha256."""
    readme = (ROOT / "sample_videos" / "README.md").read_text(encoding="utf-8")
    for s in samples.manifest():
        assert s.name in readme, s.name
        assert s.sha256 in readme, f"{s.name}: sha256 missing from sample_videos/README.md"


def _repository_files() -> list[Path]:
    """Files tracked or about to be tracked by git (not ignored); every file when git is unavailable."""
    try:
        out = subprocess.run(
            ["git", "ls-files", "--cached", "--others", "--exclude-standard"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
            timeout=60,
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return [p for p in ROOT.rglob("*") if ".venv" not in p.parts and ".git" not in p.parts]
    return [ROOT / line for line in out.splitlines() if line]


def test_no_footage_is_committed():
    """Third-party clips never enter the repository (they are found or fetched by checksum)."""
    video_suffixes = {".mp4", ".mov", ".avi", ".mkv", ".webm", ".m4v"}
    videos = [p for p in _repository_files() if p.suffix.lower() in video_suffixes]
    assert not videos, f"video files in the repository: {videos}"


# ---- lookup ---------------------------------------------------------------------------------


def test_data_dir_is_searched_first(fake_manifest, monkeypatch, tmp_path):
    payload, entry, cache, _ = fake_manifest
    data = tmp_path / "data"
    data.mkdir()
    (data / entry.name).write_bytes(payload)
    cache.mkdir()
    (cache / entry.name).write_bytes(payload)
    monkeypatch.setenv(samples.ENV_DATA_DIR, str(data))
    assert samples.sample_path(entry.name) == data / entry.name


def test_cache_is_used_without_a_data_dir(fake_manifest):
    payload, entry, cache, _ = fake_manifest
    cache.mkdir()
    (cache / entry.name).write_bytes(payload)
    assert samples.sample_path(entry.name) == cache / entry.name


def test_wrong_bytes_in_the_data_dir_are_skipped(fake_manifest, monkeypatch, tmp_path):
    payload, entry, cache, _ = fake_manifest
    data = tmp_path / "data"
    data.mkdir()
    (data / entry.name).write_bytes(b"a re-encoded copy")
    monkeypatch.setenv(samples.ENV_DATA_DIR, str(data))
    with pytest.raises(InputNotFoundError, match="sha256 differs"):
        samples.sample_path(entry.name)
    cache.mkdir()
    (cache / entry.name).write_bytes(payload)
    assert samples.sample_path(entry.name) == cache / entry.name


def test_missing_sample_says_what_to_do(fake_manifest, monkeypatch, tmp_path):
    _, entry, _, _ = fake_manifest
    monkeypatch.setenv(samples.ENV_DATA_DIR, str(tmp_path / "empty"))
    with pytest.raises(InputNotFoundError) as exc:
        samples.sample_path(entry.name)
    assert samples.ENV_DATA_DIR in str(exc.value)
    assert "samples fetch" in str(exc.value)


def test_unknown_sample_is_refused(fake_manifest):
    with pytest.raises(InputNotFoundError, match="unknown sample"):
        samples.sample_path("nope.mp4")


def test_no_address_gives_the_checksum_to_look_for(fake_manifest):
    _, entry, cache, _ = fake_manifest
    with pytest.raises(ModelDownloadError) as exc:
        samples.sample_path(entry.name, fetch=True)
    assert entry.sha256 in str(exc.value)
    assert not cache.exists() or not any(cache.iterdir())


# ---- download -------------------------------------------------------------------------------


def test_http_download_is_verified_and_cached(fake_manifest, tmp_path):
    payload, entry, cache, set_url = fake_manifest
    (tmp_path / "remote").mkdir()
    (tmp_path / "remote" / "clip.mp4").write_bytes(payload)
    with serve(tmp_path / "remote") as (base, requested):
        set_url(base + "/clip.mp4")
        path = samples.sample_path(entry.name, fetch=True)
        assert samples.sample_path(entry.name, fetch=True) == path  # found in the cache: not downloaded again
    assert requested == ["/clip.mp4"]
    assert path == cache / entry.name
    assert path.read_bytes() == payload
    assert sorted(p.name for p in cache.iterdir()) == [entry.name]


def test_http_download_with_wrong_checksum_is_refused_and_leaves_nothing(fake_manifest, tmp_path):
    payload, entry, cache, set_url = fake_manifest
    (tmp_path / "remote").mkdir()
    (tmp_path / "remote" / "clip.mp4").write_bytes(payload[:-1] + b"X")
    with serve(tmp_path / "remote") as (base, _):
        set_url(base + "/clip.mp4")
        with pytest.raises(ModelDownloadError, match="refused") as exc:
            samples.sample_path(entry.name, fetch=True)
        assert exc.value.exit_code == 8
        assert list(cache.iterdir()) == []
        (tmp_path / "remote" / "clip.mp4").write_bytes(payload)
        assert samples.sample_path(entry.name, fetch=True).read_bytes() == payload


def test_download_url_override_serves_a_clip_without_an_address(fake_manifest, tmp_path, monkeypatch):
    payload, entry, _, _ = fake_manifest  # url is None
    (tmp_path / "mirror").mkdir()
    (tmp_path / "mirror" / entry.name).write_bytes(payload)
    with serve(tmp_path / "mirror") as (base, requested):
        monkeypatch.setenv("LUNGE_SCREEN_DOWNLOAD_URL", base)
        assert samples.sample_path(entry.name, fetch=True).read_bytes() == payload
    assert requested == [f"/{entry.name}"]


def test_unreachable_address_is_a_download_error(fake_manifest, tmp_path):
    _, entry, cache, set_url = fake_manifest
    set_url("http://127.0.0.1:9/clip.mp4")  # the discard port: connection refused
    with pytest.raises(ModelDownloadError, match="could not download"):
        samples.sample_path(entry.name, fetch=True)
    assert not cache.exists() or list(cache.iterdir()) == []


def test_the_manifest_records_the_checked_addresses():
    """The five clips with a byte-checked public copy (../shared/videos/README.md) have it as their url."""
    urls = {s.name: s.url for s in samples.manifest()}
    assert urls["lunge_front_portrait.mp4"] == (
        "https://raw.githubusercontent.com/Prakhar-Singh-OP/FitnessTransformer/"
        "05563bb1feb4a100efd57535d8f032dc47752b05/Lunges.mp4"
    )
    with_address = {n for n, u in urls.items() if u}
    assert with_address == {
        "lunge_front_portrait.mp4",
        "walking_lunge_near_front.mp4",
        "curtsy_lunge_front.mp4",
        "squat_front_valgus_then_neutral.mp4",
        "multi_person_side_vp9.mp4",
    }


def test_the_manifest_checksums_match_the_shared_clips(shared):
    from lunge_screen.io.checksum import sha256_file

    for s in samples.manifest():
        assert sha256_file(shared / "videos" / s.name) == s.sha256, s.name


# ---- CLI --------------------------------------------------------------------------------------


def test_cli_samples_path_and_list(fake_manifest, monkeypatch, tmp_path, capsys):
    payload, entry, _, _ = fake_manifest
    data = tmp_path / "data"
    data.mkdir()
    (data / entry.name).write_bytes(payload)
    monkeypatch.setenv(samples.ENV_DATA_DIR, str(data))
    assert main(["samples", "path", entry.name]) == 0
    assert capsys.readouterr().out.strip() == str(data / entry.name)
    assert main(["samples", "list"]) == 0
    out = capsys.readouterr().out
    assert entry.name in out and str(data / entry.name) in out


def test_cli_samples_fetch_without_address_exits_with_download_code(fake_manifest, capsys):
    _, entry, _, _ = fake_manifest
    assert main(["samples", "fetch", entry.name]) == 8
    assert samples.ENV_DATA_DIR in capsys.readouterr().err


def test_cli_samples_path_with_fetch_before_the_name(fake_manifest, tmp_path, capsys):
    """`samples path --fetch NAME` (the option first) is accepted, as `./dev demo` once wrote it."""
    payload, entry, cache, set_url = fake_manifest
    (tmp_path / "remote").mkdir()
    (tmp_path / "remote" / entry.name).write_bytes(payload)
    with serve(tmp_path / "remote") as (base, _):
        set_url(f"{base}/{entry.name}")
        assert main(["samples", "path", "--fetch", entry.name]) == 0
    assert capsys.readouterr().out.strip() == str(cache / entry.name)
