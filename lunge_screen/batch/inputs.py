"""Where a batch's inputs come from: folders (recursive, by extension), glob patterns, files, a manifest CSV."""

from __future__ import annotations

import csv
import glob
import hashlib
import os
from collections.abc import Sequence
from pathlib import Path, PurePosixPath

from ..errors import InputNotFoundError, LungeScreenError
from ..io.atomic import safe_name
from .jobs import BatchInput

VIDEO_EXTENSIONS = (".mp4", ".mov", ".m4v", ".avi", ".mkv", ".webm", ".mts", ".m2ts", ".3gp", ".mpg", ".mpeg", ".wmv")


class ManifestError(LungeScreenError, ValueError):
    """The manifest CSV is malformed (no ``path`` column, an empty path, a file listed twice): a usage error."""

    exit_code = 2


def read_manifest(manifest: str | os.PathLike) -> list[BatchInput]:
    """Inputs from a CSV with a ``path`` column; relative paths are relative to the CSV's folder.

    Every other column is kept as text and flows into the cohort table.

    Raises
    ------
    InputNotFoundError
        The manifest cannot be read.
    ManifestError
        No ``path`` column, an empty path, or the same file listed twice.
    """
    manifest = Path(manifest)
    try:
        with open(manifest, encoding="utf-8-sig", newline="") as f:
            rows = [row for row in csv.reader(f) if any(cell.strip() for cell in row)]
    except (OSError, UnicodeDecodeError) as exc:
        raise InputNotFoundError(f"{manifest}: cannot read the manifest ({exc})") from None
    header = [c.strip() for c in rows[0]] if rows else []
    if "path" not in header:
        raise ManifestError(f"{manifest}: the manifest needs a 'path' column (found: {', '.join(header) or 'nothing'})")
    items, seen = [], {}
    for line, row in enumerate(rows[1:], start=2):
        values = dict(zip(header, [*row, *[""] * (len(header) - len(row))]))
        text = values.pop("path").strip()
        if not text:
            raise ManifestError(f"{manifest}: row {line} has an empty path")
        path = os.path.abspath(manifest.parent / Path(text).expanduser())
        if path in seen:
            raise ManifestError(f"{manifest}: {text!r} is listed twice (rows {seen[path]} and {line})")
        seen[path] = line
        items.append(BatchInput(path, text, values))
    return items


def _inside(path: str, folder: str | None) -> bool:
    return folder is not None and (path == folder or path.startswith(folder.rstrip(os.sep) + os.sep))


def discover_inputs(
    sources: Sequence[str | os.PathLike] = (),
    *,
    manifest: str | os.PathLike | None = None,
    extensions: Sequence[str] = VIDEO_EXTENSIONS,
    exclude: str | os.PathLike | None = None,
) -> list[BatchInput]:
    """Expand folders (recursively, by extension), glob patterns and file paths into sorted inputs.

    Hidden files and folders (``.name``, e.g. macOS ``._IMG_0001.mov``) and anything
    under ``exclude`` (the output folder) are skipped in folders and globs. A file named
    explicitly is taken whatever its extension. A file found twice is listed once
    (a manifest row wins). Manifest paths are not checked here: a missing one becomes
    a failure of its own.

    Raises
    ------
    InputNotFoundError
        A source is neither a file, a folder nor a pattern matching a video.
    """
    exts = {e.lower() if e.startswith(".") else f".{e.lower()}" for e in extensions}
    skip = os.path.realpath(exclude) if exclude is not None else None
    items = read_manifest(manifest) if manifest is not None else []

    def wanted(p: Path) -> bool:
        return p.suffix.lower() in exts and p.is_file() and not _inside(os.path.realpath(p), skip)

    for source in sources:
        text = os.fspath(source)
        root = Path(text).expanduser()
        if root.is_dir():
            for p in sorted(root.rglob("*")):
                rel = p.relative_to(root)
                if not any(part.startswith(".") for part in rel.parts) and wanted(p):
                    items.append(BatchInput(os.path.abspath(p), rel.as_posix()))
        elif root.is_file():
            items.append(BatchInput(os.path.abspath(root), text))
        elif glob.has_magic(text):  # glob's wildcards never match hidden names
            found = [Path(m) for m in sorted(glob.glob(os.path.expanduser(text), recursive=True))]
            found = [p for p in found if wanted(p)]
            if not found:
                raise InputNotFoundError(f"{text}: the pattern matches no video file ({', '.join(sorted(exts))})")
            items += [BatchInput(os.path.abspath(p), p.as_posix()) for p in found]
        else:
            raise InputNotFoundError(f"{text}: no such file or folder")
    unique: dict[str, BatchInput] = {}
    for item in items:
        unique.setdefault(item.path, item)
    return sorted(unique.values(), key=lambda i: (i.video, i.path))


def output_name(item: BatchInput) -> str:
    """Folder name for an input's outputs: its sanitised display path plus a hash of its absolute path."""
    parts = [p for p in PurePosixPath(item.video.replace("\\", "/")).parts if p not in ("/", ".", "..")]
    return f"{safe_name('__'.join(parts), 80)}-{hashlib.sha256(os.fsencode(item.path)).hexdigest()[:8]}"


def default_workers() -> int:
    """Usable CPU cores (affinity-aware): MediaPipe keeps about one core busy per process."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1
