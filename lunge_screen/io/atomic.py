"""Write files so that a reader never sees half of one, and never outside the chosen folder.

Every output is written to a temporary file in the target's own folder and then
renamed over the target (``os.replace`` is atomic on one file system). A crash or a
kill leaves either the old file or the new one, plus at most a ``*.tmp`` file that
the next run ignores and overwrites.
"""

from __future__ import annotations

import contextlib
import os
import re
import tempfile
from collections.abc import Iterator
from pathlib import Path

from ..errors import OutputError


@contextlib.contextmanager
def atomic_path(target: str | os.PathLike, suffix: str = "") -> Iterator[Path]:
    """Yield a temporary path beside ``target``; on success rename it to ``target``.

    ``suffix`` keeps a file extension on the temporary name for writers that look at it.
    """
    target = Path(target)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=f"{suffix}.tmp", dir=target.parent)
    except OSError as exc:
        raise OutputError(f"cannot write in {target.parent}: {exc.strerror}") from None
    os.close(fd)
    tmp_path = Path(tmp)
    try:
        yield tmp_path
        os.chmod(tmp_path, _FILE_MODE)  # mkstemp makes 0600; results are meant to be shared like any file
        os.replace(tmp_path, target)
    finally:
        tmp_path.unlink(missing_ok=True)


def write_text(target: str | os.PathLike, text: str) -> Path:
    """Atomically write UTF-8 text."""
    with atomic_path(target) as tmp:
        tmp.write_text(text, encoding="utf-8")
    return Path(target)


def write_bytes(target: str | os.PathLike, data: bytes) -> Path:
    """Atomically write bytes."""
    with atomic_path(target) as tmp:
        tmp.write_bytes(data)
    return Path(target)


def _default_mode() -> int:
    """The mode a plain ``open()`` would give a new file under the current umask."""
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


_FILE_MODE = _default_mode()

_UNSAFE = re.compile(r"[^\w.\- ]+", re.UNICODE)


def safe_name(name: str, max_len: int = 120) -> str:
    """A file-name component derived from untrusted text: no separators, no leading dots, not empty."""
    base = _UNSAFE.sub("_", os.path.basename(str(name).replace("\\", "/"))).strip(" .")
    return (base or "unnamed")[:max_len]


def inside(folder: str | os.PathLike, name: str) -> Path:
    """``folder / name`` after checking the result cannot escape ``folder``."""
    root = Path(folder).resolve()
    path = (root / name).resolve()
    if root != path and root not in path.parents:
        raise OutputError(f"refusing to write {name!r} outside {root}")
    return path
