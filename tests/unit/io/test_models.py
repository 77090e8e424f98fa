"""Model lookup order, checksum refusal, and the checksummed download (served from a local file URL)."""

import hashlib

import pytest

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
    monkeypatch.setattr(models, "URL_TEMPLATE", served.as_uri() + "/pose_landmarker_{name}.task")
    got = models.resolve_model("lite", download=True, progress=False)
    assert got.path == tmp_path / "cache" / "pose_landmarker_lite.task"
    assert got.path.read_bytes() == fake_bundle


def test_download_with_a_bad_checksum_leaves_nothing(tmp_path, monkeypatch, fake_bundle):
    served = tmp_path / "served"
    served.mkdir()
    (served / "pose_landmarker_lite.task").write_bytes(b"tampered")
    monkeypatch.setattr(models, "URL_TEMPLATE", served.as_uri() + "/pose_landmarker_{name}.task")
    with pytest.raises(ModelDownloadError, match="refused"):
        models.resolve_model("lite", download=True, progress=False)
    assert list((tmp_path / "cache").iterdir()) == []


def test_offline_message_names_the_file_and_where_to_put_it(tmp_path, monkeypatch, fake_bundle):
    monkeypatch.setattr(models, "URL_TEMPLATE", (tmp_path / "nowhere").as_uri() + "/pose_landmarker_{name}.task")
    with pytest.raises(ModelDownloadError) as err:
        models.resolve_model("lite", download=True, progress=False)
    assert "pose_landmarker_lite.task" in str(err.value) and models.ENV_MODEL_DIR in str(err.value)


def test_official_digests_match_the_shared_models(shared):
    for name, spec in models.MODELS.items():
        path = shared / "models" / spec.filename
        assert checksum.sha256_file(path) in spec.sha256, name
