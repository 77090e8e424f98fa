"""Sample clips: found in a local data folder or the user cache, downloaded only on request.

Lookup order for :func:`sample_path`: ``LUNGE_SCREEN_DATA_DIR`` -> user cache
(``platformdirs.user_cache_dir("lunge-screen")/samples``) -> download (only with
``fetch=True``), verified against the manifest's sha256 before it is kept.
Third-party footage is never bundled with the package.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
import urllib.error
import urllib.request
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from platformdirs import user_cache_dir

from .errors import InputNotFoundError, ModelDownloadError

ENV_DATA_DIR = "LUNGE_SCREEN_DATA_DIR"


@dataclass(frozen=True)
class Sample:
    name: str
    sha256: str
    size: int
    url: str | None
    licence: str
    shows: str


def manifest() -> list[Sample]:
    """The sample clips this version knows (``lunge_screen/data/samples.json``)."""
    text = resources.files("lunge_screen").joinpath("data/samples.json").read_text(encoding="utf-8")
    return [Sample(**s) for s in json.loads(text)["samples"]]


def cache_dir() -> Path:
    return Path(user_cache_dir("lunge-screen")) / "samples"


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _find(name: str) -> Sample:
    for s in manifest():
        if s.name == name:
            return s
    raise InputNotFoundError(f"unknown sample {name!r}; known: {', '.join(s.name for s in manifest())}")


def sample_path(name: str, *, fetch: bool = False) -> Path:
    """Local path of a sample clip (see the module docstring for the lookup order)."""
    s = _find(name)
    folders = [Path(os.environ[ENV_DATA_DIR]).expanduser()] if os.environ.get(ENV_DATA_DIR) else []
    folders.append(cache_dir())
    for folder in folders:
        p = folder / s.name
        if p.is_file():
            return p
    if not fetch:
        raise InputNotFoundError(
            f"sample {name} not found in {' or '.join(map(str, folders))}; run 'lunge-screen samples fetch {name}' "
            f"or put the file in a folder named by {ENV_DATA_DIR}"
        )
    return download(s)


def download(s: Sample, timeout: float = 60.0) -> Path:
    """Download one sample into the cache, refusing it unless its sha256 matches."""
    if not s.url:
        raise ModelDownloadError(
            f"no public download address is recorded for {s.name}; put the file (sha256 {s.sha256}) in a folder "
            f"named by {ENV_DATA_DIR}"
        )
    folder = cache_dir()
    folder.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=s.name + ".", suffix=".part", dir=folder)
    try:
        try:
            with urllib.request.urlopen(s.url, timeout=timeout) as r, os.fdopen(fd, "wb") as out:
                while chunk := r.read(1 << 16):
                    out.write(chunk)
        except (urllib.error.URLError, OSError, TimeoutError) as exc:
            raise ModelDownloadError(f"could not download {s.name} ({getattr(exc, 'reason', exc)})") from None
        digest = _sha256(Path(tmp))
        if digest != s.sha256:
            raise ModelDownloadError(f"{s.name}: downloaded file has sha256 {digest}, expected {s.sha256}: refused")
        target = folder / s.name
        os.replace(tmp, target)
        return target
    finally:
        Path(tmp).unlink(missing_ok=True)
