"""Find the MediaPipe Pose Landmarker model bundle, downloading it only when asked to.

Resolution order for :func:`resolve_model`:

1. an explicit path (a ``.task`` file, or a folder holding ``pose_landmarker_<name>.task``);
2. the folder in the environment variable ``LUNGE_SCREEN_MODEL_DIR``;
3. the user cache (``platformdirs.user_cache_dir("lunge-screen")/models``);
4. a download from the official MediaPipe model storage into the user cache,
   checked against the published sha256 before it is kept (only when
   ``download=True``, which is the CLI's default; :mod:`.download`, with pooch).

Every file with an official bundle's name is checked against its published sha256
and refused if it does not match. This download is the only network access the
project makes.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from platformdirs import user_cache_dir

from ..errors import ModelDownloadError, ModelError
from ..types import MODEL_NAMES
from .checksum import sha256_file
from .download import fetch

DEFAULT_MODEL = "full"
ENV_MODEL_DIR = "LUNGE_SCREEN_MODEL_DIR"
URL_TEMPLATE = (
    "https://storage.googleapis.com/mediapipe-models/pose_landmarker/"
    "pose_landmarker_{name}/float16/1/pose_landmarker_{name}.task"
)


@dataclass(frozen=True)
class ModelSpec:
    """An official bundle: its name, size in bytes and accepted sha256 digests."""

    name: str
    size: int
    sha256: tuple[str, ...]

    @property
    def filename(self) -> str:
        return f"pose_landmarker_{self.name}.task"

    @property
    def url(self) -> str:
        return URL_TEMPLATE.format(name=self.name)


#: Published digests of the official float16 bundles (version 1). The "latest"
#: full bundle differs only in zip timestamps and is accepted too.
MODELS: dict[str, ModelSpec] = {
    "lite": ModelSpec("lite", 5_777_746, ("59929e1d1ee95287735ddd833b19cf4ac46d29bc7afddbbf6753c459690d574a",)),
    "full": ModelSpec(
        "full",
        9_398_198,
        (
            "5134a3aad27a58b93da0088d431f366da362b44e3ccfbe3462b3827a839011b1",
            "4eaa5eb7a98365221087693fcc286334cf0858e2eb6e15b506aa4a7ecdcec4ad",
        ),
    ),
    "heavy": ModelSpec("heavy", 30_664_242, ("64437af838a65d18e5ba7a0d39b465540069bc8aae8308de3e318aad31fcbc7b",)),
}


@dataclass(frozen=True)
class ResolvedModel:
    """A model file ready to load: its path, the bundle name (or ``custom``) and sha256."""

    path: Path
    name: str
    sha256: str


def cache_dir() -> Path:
    """The user cache folder for models (not created here)."""
    return Path(user_cache_dir("lunge-screen")) / "models"


def _name_of(path: Path) -> str | None:
    for spec in MODELS.values():
        if path.name == spec.filename:
            return spec.name
    return None


def _checked(path: Path, name: str | None) -> ResolvedModel:
    """Return the model at ``path`` after checking it, or raise :class:`ModelError`."""
    if not path.is_file():
        raise ModelError(f"model file {path} does not exist")
    try:
        digest = sha256_file(path)
    except OSError as exc:
        raise ModelError(f"model file {path} cannot be read ({exc.strerror})") from None
    if name is not None:
        spec = MODELS[name]
        if digest not in spec.sha256:
            raise ModelError(
                f"model file {path} fails its checksum (sha256 {digest[:12]}..., expected {spec.sha256[0][:12]}...): "
                "it is damaged or not the official bundle; delete it and download it again"
            )
    return ResolvedModel(path=path, name=name or "custom", sha256=digest)


def _in_folder(folder: Path, name: str) -> Path:
    return folder / MODELS[name].filename


def resolve_model(
    model: str | os.PathLike | None = None,
    *,
    download: bool = False,
    progress: bool = True,
) -> ResolvedModel:
    """Locate (and optionally download) a pose model.

    Parameters
    ----------
    model
        ``"lite"``, ``"full"`` or ``"heavy"`` (default ``"full"``), or a path to a
        ``.task`` file or to a folder holding the official file names.
    download
        Download a missing official bundle into the user cache (network access).
    progress
        Show a progress bar on stderr while downloading.

    Raises
    ------
    ModelError
        The model is missing, unreadable or fails its checksum.
    ModelDownloadError
        The download failed (offline); the message says which file to put where.
    """
    model = DEFAULT_MODEL if model is None else model
    text = os.fspath(model)
    if text in MODELS:
        name = text
    else:
        path = Path(text).expanduser()
        if path.is_dir():
            for name in (DEFAULT_MODEL, *MODEL_NAMES):
                if _in_folder(path, name).is_file():
                    return _checked(_in_folder(path, name), name)
            raise ModelError(f"no pose_landmarker_<lite|full|heavy>.task file in {path}")
        if not path.exists():
            raise ModelError(f"model file {path} does not exist (give lite, full, heavy, a .task file or a folder)")
        return _checked(path, _name_of(path))

    env_dir = os.environ.get(ENV_MODEL_DIR)
    if env_dir:
        candidate = _in_folder(Path(env_dir).expanduser(), name)
        if candidate.is_file():
            return _checked(candidate, name)
    cached = _in_folder(cache_dir(), name)
    if cached.is_file():
        return _checked(cached, name)
    if not download:
        raise ModelError(_missing_message(name))
    return _checked(download_model(name, progress=progress), name)


def _missing_message(name: str) -> str:
    spec = MODELS[name]
    return (
        f"pose model '{name}' not found: put {spec.filename} (sha256 {spec.sha256[0]}) "
        f"in {cache_dir()} or in a folder named by {ENV_MODEL_DIR}, or pass --model PATH; "
        f"it is published at {spec.url}"
    )


def download_model(name: str, *, progress: bool = True, timeout: float = 30.0) -> Path:
    """Download an official bundle into the user cache (:func:`lunge_screen.io.download.fetch`: sha256-checked,
    nothing kept unless it matches; ``LUNGE_SCREEN_DOWNLOAD_URL`` replaces the official address)."""
    spec = MODELS[name]
    try:
        return fetch(spec.url, spec.sha256[0], cache_dir(), spec.filename, progress=progress, timeout=timeout)
    except ModelDownloadError as exc:
        raise ModelDownloadError(f"{exc}. {_missing_message(name)}") from None
