"""Sample clips: found in a local data folder or the user cache, downloaded only on request.

Lookup order for :func:`sample_path`: ``LUNGE_SCREEN_DATA_DIR`` -> user cache
(``platformdirs.user_cache_dir("lunge-screen")/samples``) -> download (only with
``fetch=True``, from the manifest's address or ``$LUNGE_SCREEN_DOWNLOAD_URL/<name>``,
see :mod:`.download`). A sample *is* its sha256: a local file with the right name but
other bytes (a re-encoded or different clip) is skipped with a reason, and a
download is kept only when its sha256 matches the manifest. Third-party footage
is never bundled with the package; ``sample_videos/README.md`` lists where each
clip came from.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from platformdirs import user_cache_dir

from ..errors import InputNotFoundError, ModelDownloadError
from .checksum import sha256_file
from .download import ENV_DOWNLOAD_URL, fetch

ENV_DATA_DIR = "LUNGE_SCREEN_DATA_DIR"


@dataclass(frozen=True)
class Sample:
    """One manifest entry (``lunge_screen/data/samples.json``).

    ``url`` is a verified download address or ``None`` (then the clip must be put
    in ``LUNGE_SCREEN_DATA_DIR`` by hand); ``source`` says where the clip came from,
    which is not necessarily a byte-identical download.
    """

    name: str
    sha256: str
    size: int
    url: str | None
    licence: str
    shows: str
    source: str | None = None
    note: str = ""


def manifest() -> list[Sample]:
    """The sample clips this version knows (``lunge_screen/data/samples.json``)."""
    text = resources.files("lunge_screen").joinpath("data/samples.json").read_text(encoding="utf-8")
    return [Sample(**s) for s in json.loads(text)["samples"]]


def cache_dir() -> Path:
    return Path(user_cache_dir("lunge-screen")) / "samples"


def data_dirs() -> list[Path]:
    """Folders searched for local copies, in order: ``LUNGE_SCREEN_DATA_DIR`` (if set), then the cache."""
    folders = [Path(os.environ[ENV_DATA_DIR]).expanduser()] if os.environ.get(ENV_DATA_DIR) else []
    folders.append(cache_dir())
    return folders


def _find(name: str) -> Sample:
    for s in manifest():
        if s.name == name:
            return s
    raise InputNotFoundError(f"unknown sample {name!r}; known: {', '.join(s.name for s in manifest())}")


def locate(name: str) -> tuple[Path | None, list[Path]]:
    """``(path, rejected)``: the first local copy whose sha256 matches, and the copies skipped for other bytes."""
    s = _find(name)
    rejected = []
    for folder in data_dirs():
        p = folder / s.name
        if not p.is_file():
            continue
        if sha256_file(p) == s.sha256:
            return p, rejected
        rejected.append(p)
    return None, rejected


def sample_path(name: str, *, fetch: bool = False) -> Path:
    """Local path of a sample clip (see the module docstring for the lookup order).

    Raises
    ------
    InputNotFoundError
        The name is unknown, or no local copy with the right sha256 exists and ``fetch`` is false.
    ModelDownloadError
        ``fetch`` is true and the clip cannot be downloaded (no address recorded, offline, checksum).
    """
    s = _find(name)
    path, rejected = locate(name)
    if path is not None:
        return path
    if not fetch:
        where = " or ".join(map(str, data_dirs()))
        skipped = (
            f" ({', '.join(map(str, rejected))}: sha256 differs from the manifest's {s.sha256}, "
            "a different or re-encoded file)"
            if rejected
            else ""
        )
        raise InputNotFoundError(
            f"sample {name} not found in {where}{skipped}; run 'lunge-screen samples fetch {name}' "
            f"or put the file in a folder named by {ENV_DATA_DIR}"
        )
    return download(s)


def download(s: Sample, *, progress: bool = True, timeout: float = 60.0) -> Path:
    """Download one sample into the cache, refusing it unless its sha256 matches (:func:`.download.fetch`).

    A failed or refused download leaves nothing behind.
    """
    if not s.url and not os.environ.get(ENV_DOWNLOAD_URL):
        origin = f" Its origin: {s.source}." if s.source else ""
        raise ModelDownloadError(
            f"no public download address is recorded for {s.name}.{origin} Put the file (sha256 {s.sha256}, "
            f"{s.size} bytes) in a folder named by {ENV_DATA_DIR}"
        )
    try:
        return fetch(s.url or "", s.sha256, cache_dir(), s.name, progress=progress, timeout=timeout)
    except ModelDownloadError as exc:
        raise ModelDownloadError(
            f"{exc}. Offline: put {s.name} (sha256 {s.sha256}) in a folder named by {ENV_DATA_DIR}"
        ) from None
