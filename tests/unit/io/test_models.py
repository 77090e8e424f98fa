"""Model lookup order, checksum refusal, and the checksummed download (served by a local HTTP server)."""

import hashlib

import pytest
from http_server import serve

from lunge_screen.errors import ModelDownloadError, ModelError
from lunge_screen.io import checksum, models


@pytest.fixture
def fake_bundle(tmp_path, monkeypatch):
    """A fake 'lite' bundle whose published digest we control; cache and env redirected to tmp."""
    payload = b"fake pose model bundle" * 100
    digest = hashlib.sha256(payload).hexdigest()
    monkeypatch.setitem(models.MODELS, "lite", models.ModelSpec("lite", len(payload), (digest,)))
    monkeypatch.setattr(models, "cache_dir", lambda: tmp_path / "cache")
    monkeypatch.delenv(models.ENV_MODEL_DIR, raising=False)
    checksum._sha256_cached.cache_clear()
    return payload


def test_explicit_file_then_env_then_cache(tmp_path, monkeypatch, fake_bundle):
    env_dir = tmp_path / "env"
    env_dir.mkdir()
    (env_dir / "pose_landmarker_lite.task").write_bytes(fake_bundle)
    monkeypatch.setenv(models.ENV_MODEL_DIR, str(env_dir))
    assert models.resolve_model("lite").path == env_dir / "pose_landmarker_lite.task"
    monkeypatch.delenv(models.ENV_MODEL_DIR)
    with pytest.raises(ModelError, match="not found"):
        models.resolve_model("lite")
    cache = tmp_path / "cache"
    cache.mkdir()
    (cache / "pose_landmarker_lite.task").write_bytes(fake_bundle)
    assert models.resolve_model("lite").path == cache / "pose_landmarker_lite.task"
    custom = tmp_path / "my_model.task"
    custom.write_bytes(b"anything")
    r = models.resolve_model(custom)
    assert r.path == custom and r.name == "custom"
    assert models.resolve_model(env_dir).name == "lite"


def test_a_file_that_fails_its_checksum_is_refused(tmp_path, monkeypatch, fake_bundle):
    d = tmp_path / "models"
    d.mkdir()
    (d / "pose_landmarker_lite.task").write_bytes(fake_bundle[:-1] + b"X")
    monkeypatch.setenv(models.ENV_MODEL_DIR, str(d))
    with pytest.raises(ModelError, match="checksum"):
        models.resolve_model("lite")


def test_download_verifies_before_keeping(tmp_path, monkeypatch, fake_bundle):
    served = tmp_path / "served"
    served.mkdir()
    (served / "pose_landmarker_lite.task").write_bytes(fake_bundle)
    with serve(served) as (base, requested):
        monkeypatch.setattr(models, "URL_TEMPLATE", base + "/pose_landmarker_{name}.task")
        got = models.resolve_model("lite", download=True, progress=False)
    assert requested == ["/pose_landmarker_lite.task"]
    assert got.path == tmp_path / "cache" / "pose_landmarker_lite.task"
    assert got.path.read_bytes() == fake_bundle
    assert sorted(p.name for p in (tmp_path / "cache").iterdir()) == ["pose_landmarker_lite.task"]


def test_download_url_override_replaces_the_official_address(tmp_path, monkeypatch, fake_bundle):
    mirror = tmp_path / "mirror"
    mirror.mkdir()
    (mirror / "pose_landmarker_lite.task").write_bytes(fake_bundle)
    monkeypatch.setattr(models, "URL_TEMPLATE", "http://127.0.0.1:9/never/{name}.task")  # nothing listens there
    with serve(mirror) as (base, requested):
        monkeypatch.setenv("LUNGE_SCREEN_DOWNLOAD_URL", base + "/")
        got = models.resolve_model("lite", download=True, progress=False)
    assert requested == ["/pose_landmarker_lite.task"] and got.path.read_bytes() == fake_bundle


def test_download_with_a_bad_checksum_leaves_nothing(tmp_path, monkeypatch, fake_bundle):
    served = tmp_path / "served"
    served.mkdir()
    (served / "pose_landmarker_lite.task").write_bytes(fake_bundle[:-1] + b"X")  # one byte changed
    with serve(served) as (base, _):
        monkeypatch.setattr(models, "URL_TEMPLATE", base + "/pose_landmarker_{name}.task")
        with pytest.raises(ModelDownloadError, match="refused") as err:
            models.resolve_model("lite", download=True, progress=False)
    assert err.value.exit_code == 8
    assert list((tmp_path / "cache").iterdir()) == []


def test_offline_message_names_the_file_and_where_to_put_it(tmp_path, monkeypatch, fake_bundle):
    monkeypatch.setattr(models, "URL_TEMPLATE", "http://127.0.0.1:9/pose_landmarker_{name}.task")  # refused
    with pytest.raises(ModelDownloadError) as err:
        models.resolve_model("lite", download=True, progress=False)
    text = str(err.value)
    assert "could not download" in text and "no connection" in text
    assert "pose_landmarker_lite.task" in text and models.ENV_MODEL_DIR in text and fake_bundle_digest(text)
    assert not (tmp_path / "cache").exists() or list((tmp_path / "cache").iterdir()) == []


def test_a_missing_file_on_the_server_is_a_download_error(tmp_path, monkeypatch, fake_bundle):
    (tmp_path / "empty").mkdir()
    with serve(tmp_path / "empty") as (base, _):
        monkeypatch.setattr(models, "URL_TEMPLATE", base + "/pose_landmarker_{name}.task")
        with pytest.raises(ModelDownloadError, match="HTTP 404"):
            models.resolve_model("lite", download=True, progress=False)


def fake_bundle_digest(text: str) -> bool:
    """The message gives the sha256 to look for."""
    return models.MODELS["lite"].sha256[0] in text


def test_official_digests_match_the_shared_models(shared):
    for name, spec in models.MODELS.items():
        path = shared / "models" / spec.filename
        assert checksum.sha256_file(path) in spec.sha256, name
